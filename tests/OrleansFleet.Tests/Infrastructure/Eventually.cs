using System.Net.Http.Json;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>Waiting without sleeping blind: poll until a condition holds, fail with the last value at a deadline.</summary>
internal static class Eventually
{
    public static async Task<T> Async<T>(Func<Task<T>> probe, Func<T, bool> condition, int seconds = 30, string? because = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {seconds} s{(because is null ? "" : $": {because}")}. Last value: {value}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Polls a device through the API until <paramref name="condition"/> holds. Ingestion goes through the telemetry
    /// stream, so a 202 means "accepted by the stream", and the device applies the events a moment later.
    /// </summary>
    public static Task<DeviceView?> DeviceAsync(HttpClient client, string deviceId, Func<DeviceView, bool> condition, int seconds = 30) =>
        Async(
            async () =>
            {
                using var response = await client.GetAsync($"/api/devices/{deviceId}");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<DeviceView>(ApiFactory.Json) : null;
            },
            view => view is not null && condition(view),
            seconds,
            $"device {deviceId}");
}
