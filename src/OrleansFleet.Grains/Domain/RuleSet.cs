namespace OrleansFleet.Grains.Domain;

/// <summary>Combines the fleet's default rules with a device's overrides: an override replaces the default with its id.</summary>
public static class RuleSet
{
    /// <summary>The enabled rules a device is evaluated against.</summary>
    public static IReadOnlyList<AlarmRule> Effective(IReadOnlyList<AlarmRule> fleetDefaults, IReadOnlyList<AlarmRule> overrides)
    {
        ArgumentNullException.ThrowIfNull(fleetDefaults);
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Count == 0)
        {
            return fleetDefaults.Where(r => r.Enabled).ToList();
        }

        var byId = new Dictionary<string, AlarmRule>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var rule in fleetDefaults.Concat(overrides))
        {
            if (!byId.ContainsKey(rule.Id))
            {
                order.Add(rule.Id);
            }

            byId[rule.Id] = rule;
        }

        return order.Select(id => byId[id]).Where(r => r.Enabled).ToList();
    }
}
