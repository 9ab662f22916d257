using Microsoft.Extensions.FileProviders;

namespace OrleansFleet.Hosting;

/// <summary>
/// The operator pages: <c>/fleet</c> and <c>/fleet/devices/{id}</c>, plain HTML and ES modules that read the public API
/// (no build step, no JavaScript library). The files are copied beside the host's assembly, so the host serves them
/// wherever it runs from (dotnet run, a published folder, the test output).
/// </summary>
internal static class FleetPagesExtensions
{
    public static WebApplication MapFleetPages(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "fleet");
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root), RequestPath = "/fleet/assets" });
        app.MapGet("/fleet", () => Page(root, "index.html")).ExcludeFromDescription();
        // The device page reads its id from the address; the API validates it.
        app.MapGet("/fleet/devices/{deviceId}", (string deviceId) => Page(root, "device.html")).ExcludeFromDescription();
        return app;
    }

    private static IResult Page(string root, string name) => Results.File(Path.Combine(root, name), "text/html; charset=utf-8");
}
