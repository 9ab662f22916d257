namespace OrleansFleet.Grains.Domain;

/// <summary>Checks a set of alarm rules, naming each broken rule by its position and field.</summary>
public static class AlarmRuleValidator
{
    /// <summary>Errors by field path (<c>[0].threshold</c>, …); empty when the rules are valid.</summary>
    public static Dictionary<string, string[]> Validate(IReadOnlyList<AlarmRule?> rules, string pathPrefix = "$")
    {
        ArgumentNullException.ThrowIfNull(rules);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"{pathPrefix}[{i}]";
            var rule = rules[i];
            if (rule is null)
            {
                errors[path] = ["must be a rule object"];
                continue;
            }

            if (!DeviceId.IsValid(rule.Id))
            {
                errors[$"{path}.id"] = [DeviceId.Rule];
            }
            else if (rule.Id == AlarmRules.OfflineRuleId)
            {
                errors[$"{path}.id"] = [$"'{AlarmRules.OfflineRuleId}' is reserved for the offline alarm"];
            }
            else if (!ids.Add(rule.Id))
            {
                errors[$"{path}.id"] = ["appears more than once"];
            }

            if (!DeviceId.IsValid(rule.Metric))
            {
                errors[$"{path}.metric"] = [DeviceId.Rule];
            }

            if (!double.IsFinite(rule.Threshold))
            {
                errors[$"{path}.threshold"] = ["must be a finite number"];
            }

            if (rule.ClearThreshold is { } clear)
            {
                if (!double.IsFinite(clear))
                {
                    errors[$"{path}.clearThreshold"] = ["must be a finite number"];
                }
                else if (rule.Comparison == ThresholdComparison.Above && clear > rule.Threshold)
                {
                    errors[$"{path}.clearThreshold"] = ["must be at or below the threshold for an 'above' rule"];
                }
                else if (rule.Comparison == ThresholdComparison.Below && clear < rule.Threshold)
                {
                    errors[$"{path}.clearThreshold"] = ["must be at or above the threshold for a 'below' rule"];
                }
            }

            if (rule.HoldTime is { } hold && (hold < TimeSpan.Zero || hold > TimeSpan.FromDays(1)))
            {
                errors[$"{path}.holdTime"] = ["must be between 00:00:00 and 1.00:00:00"];
            }

            if (!Enum.IsDefined(rule.Comparison))
            {
                errors[$"{path}.comparison"] = ["must be 'above' or 'below'"];
            }

            if (!Enum.IsDefined(rule.Severity))
            {
                errors[$"{path}.severity"] = ["must be 'info', 'warning' or 'critical'"];
            }
        }

        return errors;
    }
}
