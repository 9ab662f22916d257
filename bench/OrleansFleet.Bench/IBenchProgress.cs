namespace OrleansFleet.Bench;

/// <summary>Where the runner reports what it is doing (a console progress display, or nothing in tests).</summary>
public interface IBenchProgress
{
    /// <summary>A step starts; <paramref name="total"/> events to apply. Returns a callback for the events applied so far.</summary>
    Action<long> Start(string description, long total);

    /// <summary>The step ended with <paramref name="summary"/>.</summary>
    void Done(string description, string summary);
}
