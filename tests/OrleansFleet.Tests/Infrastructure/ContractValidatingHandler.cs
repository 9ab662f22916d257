namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// Sits in the API tests' HttpClient and checks every answer of a documented path against the OpenAPI document:
/// the status must be documented for the operation and the body must match its schema. A schema that drifts from
/// the server fails the test that received the answer.
/// </summary>
internal sealed class ContractValidatingHandler(Func<Task<OpenApiContract>> contract) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var errors = (await contract()).CheckResponse(request.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        if (errors is { Count: > 0 })
        {
            Assert.Fail($"The answer to {request.Method} {request.RequestUri.PathAndQuery} breaks the OpenAPI document:\n{string.Join("\n", errors)}\nBody: {body}");
        }

        if ((int)response.StatusCode == 503 && errors is not null)
        {
            Assert.True(response.Headers.RetryAfter is not null, $"a 503 from {request.RequestUri.PathAndQuery} without the documented Retry-After header");
        }

        return response;
    }
}
