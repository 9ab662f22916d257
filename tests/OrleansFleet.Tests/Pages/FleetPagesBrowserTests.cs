using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Pages;

/// <summary>
/// The fleet and device pages in headless Chromium (Debian's, driven by playwright-core, both installed by
/// scripts/test.sh) against the built host on a loopback port, with real events that raise a real alarm.
/// </summary>
public sealed class FleetPagesBrowserTests
{
    // The second reading breaks temperature-high (above 90), the third repeats the breach on the same alarm.
    private static readonly double[] Temperatures = [70.0, 95.0, 97.5];

    [Fact]
    public async Task Fleet_page_shows_real_alarms_acknowledges_them_and_the_device_page_charts_its_history()
    {
        // A browser sends no X-Api-Key: the pages run against the embedded default (open access on loopback).
        await using var host = await HostProcess.StartWithoutKeysAsync();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var deviceId = $"--page-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var events = Temperatures.Select((temperature, i) => new
        {
            deviceId,
            seq = i + 1,
            timestamp = now.AddSeconds(i - 3),
            metrics = new Dictionary<string, double> { ["temperature"] = temperature, ["pressure"] = 5 + i },
            status = "running",
        });
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/telemetry", events)).StatusCode);

        var device = await Eventually.DeviceAsync(client, deviceId, d => d.LastSeq == 3 && d.ActiveAlarms.Count == 1);
        var alarm = device!.ActiveAlarms[0];
        Assert.Equal(("temperature-high", AlarmState.Active), (alarm.RuleId, alarm.State));
        // The device page charts the stored history, which the device writes at its checkpoint.
        await Eventually.Async(
            async () => await client.GetFromJsonAsync<JsonElement>($"/api/devices/{deviceId}/telemetry"),
            page => page.GetProperty("items").GetArrayLength() == 3,
            because: "the history of the three events");

        var screenshots = Path.Combine(AppContext.BaseDirectory, "page-screenshots");
        Directory.CreateDirectory(screenshots);
        var (exitCode, output) = await RunNodeAsync(Path.Combine(AppContext.BaseDirectory, "Pages", "fleet-pages.mjs"),
            host.BaseAddress.ToString().TrimEnd('/'), deviceId, alarm.Id, screenshots);

        Assert.True(exitCode == 0, $"The page script failed ({exitCode}):\n{output}\nHost output:\n{host.Output}");
        Assert.Contains("fleet page: alarm acknowledged by the button click", output, StringComparison.Ordinal);
        Assert.Contains("all page checks passed", output, StringComparison.Ordinal);
        var alarms = await client.GetFromJsonAsync<Alarm[]>($"/api/devices/{deviceId}/alarms", ApiFactory.Json);
        Assert.Equal(AlarmState.Acknowledged, Assert.Single(alarms!).State);
    }

    private static async Task<(int ExitCode, string Output)> RunNodeAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // scripts/test.sh exports it; a plain `dotnet test` uses the repository's .tools copy (ensure_playwright).
        if (Environment.GetEnvironmentVariable("FLEET_PLAYWRIGHT_MODULES") is null)
        {
            start.Environment["FLEET_PLAYWRIGHT_MODULES"] = Path.Combine(Repository.Root, ".tools", "playwright", "node_modules");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The page script ran over 2 minutes:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
