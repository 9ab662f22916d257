namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>Persists its state through <c>[PersistentState]</c> on the default grain storage, as the device grains do.</summary>
public sealed class BlobGrain([PersistentState(BlobGrain.StateName)] IPersistentState<BlobState> state) : Grain, IBlobGrain
{
    /// <summary>The state name: the row key of the grain's row.</summary>
    public const string StateName = "blob";

    public async Task SetAsync(string label, int payloadBytes)
    {
        state.State = new BlobState { Label = label, Payload = BlobState.Pattern(payloadBytes) };
        await state.WriteStateAsync();
    }

    public Task<BlobView> GetAsync() => Task.FromResult(new BlobView(state.State.Label, state.State.Payload, state.RecordExists));
}
