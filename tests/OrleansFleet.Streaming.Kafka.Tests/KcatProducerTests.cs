using System.Diagnostics;

namespace OrleansFleet.Streaming.Kafka.Tests;

/// <summary>A producer that is not our code (Debian's kcat) writes records in the documented format.</summary>
public sealed class KcatProducerTests
{
    [Fact]
    public async Task Records_written_by_kcat_keyed_by_device_id_are_applied()
    {
        const int Partitions = 4;
        await using var kafka = await KafkaMockCluster.StartAsync();
        var topic = KafkaTelemetryCluster.UniqueTopic("kcat");
        await kafka.CreateTopicAsync(topic, Partitions);
        var device = $"chiller-7-{Guid.NewGuid():N}"[..20];
        await using var cluster = await KafkaTelemetryCluster.StartAsync(kafka, topic);

        // docs/event-hubs.md: key = device id (-k), value = one event or an array of the device's events, one per line.
        var lines = string.Join('\n',
            $$$"""{"deviceId":"{{{device}}}","seq":1,"timestamp":"2026-11-22T10:00:00Z","metrics":{"temperature":71.5},"status":"running"}""",
            $$$"""[{"deviceId":"{{{device}}}","seq":2,"timestamp":"2026-11-22T10:00:01Z","metrics":{"temperature":72}},{"deviceId":"{{{device}}}","seq":3,"timestamp":"2026-11-22T10:00:02Z","status":"shutdown"}]""");
        using var kcat = Process.Start(new ProcessStartInfo("kcat", ["-P", "-b", kafka.BootstrapServers, "-t", topic, "-k", device, "-X", "partitioner=murmur2_random"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await kcat.StandardInput.WriteLineAsync(lines);
        kcat.StandardInput.Close();
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            try
            {
                await kcat.WaitForExitAsync(exit.Token);
            }
            finally
            {
                if (!kcat.HasExited)
                {
                    kcat.Kill();
                }
            }
        }

        Assert.True(kcat.ExitCode == 0, await kcat.StandardError.ReadToEndAsync());
        await Poll.UntilAsync(() => StreamAssert.AllReached([device], 3), TimeSpan.FromSeconds(30), "kcat's records applied");
        StreamAssert.AppliedInOrder([device], 3);
    }
}
