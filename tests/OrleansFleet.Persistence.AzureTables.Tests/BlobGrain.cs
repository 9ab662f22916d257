namespace OrleansFleet.Persistence.AzureTables.Tests;

/// <summary>Persists its state through <c>[PersistentState]</c> on the provider under test.</summary>
public sealed class BlobGrain([PersistentState("blob", GrainStorageClusterFixture.StorageName)] IPersistentState<BlobState> state) : Grain, IBlobGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    public async Task SetAsync(string label, int payloadBytes)
    {
        state.State = new BlobState { Label = label, Payload = GrainStorageTests.Pattern(payloadBytes) };
        await state.WriteStateAsync();
    }

    public Task<BlobView> GetAsync() => Task.FromResult(new BlobView(state.State.Label, state.State.Payload, _activationId, state.RecordExists));
}
