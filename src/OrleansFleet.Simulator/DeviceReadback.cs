namespace OrleansFleet.Simulator;

/// <summary>What <c>GET /api/devices/{id}</c> returns, as far as the checks need it.</summary>
public sealed record DeviceReadback(long LastSeq, CountersReadback Counters, string? Status, bool Offline, IReadOnlyList<AlarmReadback> ActiveAlarms, int Pending);

/// <summary>The device's applied, duplicate and gap counts.</summary>
public sealed record CountersReadback(long Applied, long Duplicates, long Gaps);

/// <summary>One alarm, as far as the checks need it.</summary>
public sealed record AlarmReadback(string Id, string RuleId, string? State);
