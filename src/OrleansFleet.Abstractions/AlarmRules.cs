namespace OrleansFleet;

/// <summary>Well-known rule ids and clear reasons.</summary>
public static class AlarmRules
{
    /// <summary>The rule id of the alarm a device gets when it falls silent for longer than its offline window.</summary>
    public const string OfflineRuleId = "offline";

    /// <summary>Clear reasons, as they appear in <see cref="Alarm.ClearReason"/>.</summary>
    public static class ClearReasons
    {
        /// <summary>The value came back past the clear threshold.</summary>
        public const string Recovered = "recovered";
        /// <summary>The device reported a shutdown.</summary>
        public const string Shutdown = "shutdown";
        /// <summary>An offline device reported again.</summary>
        public const string Online = "online";
        /// <summary>The rule was removed or disabled.</summary>
        public const string RuleRemoved = "rule-removed";
    }
}
