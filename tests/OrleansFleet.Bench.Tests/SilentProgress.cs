namespace OrleansFleet.Bench.Tests;

/// <summary>Progress that goes nowhere: tests check results, not output.</summary>
internal sealed class SilentProgress : IBenchProgress
{
    public Action<long> Start(string description, long total) => _ => { };

    public void Done(string description, string summary)
    {
    }
}
