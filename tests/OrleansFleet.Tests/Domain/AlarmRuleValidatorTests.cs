using OrleansFleet.Grains.Domain;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Domain;

public sealed class AlarmRuleValidatorTests
{
    [Fact]
    public void Valid_rules_have_no_errors() =>
        Assert.Empty(AlarmRuleValidator.Validate([TestRules.TemperatureHigh, TestRules.TemperatureLow, TestRules.PressureHigh]));

    [Fact]
    public void Each_broken_rule_names_its_position_and_field()
    {
        var errors = AlarmRuleValidator.Validate(
        [
            TestRules.TemperatureHigh with { ClearThreshold = 95 },
            TestRules.TemperatureLow with { ClearThreshold = 1 },
            TestRules.PressureHigh with { Id = "temperature-high" },
            TestRules.PressureHigh with { Id = "offline", Metric = "bad metric", Threshold = double.NaN, HoldTime = TimeSpan.FromSeconds(-1) },
            null,
        ]);
        Assert.Equal(
            ["$[0].clearThreshold", "$[1].clearThreshold", "$[2].id", "$[3].holdTime", "$[3].id", "$[3].metric", "$[3].threshold", "$[4]"],
            errors.Keys.Order());
    }

    [Fact]
    public void Overrides_replace_fleet_rules_by_id_and_disabled_rules_drop_out()
    {
        var custom = TestRules.PressureHigh with { Id = "custom", Threshold = 3 };
        var effective = RuleSet.Effective(
            [TestRules.TemperatureHigh, TestRules.TemperatureLow],
            [TestRules.TemperatureHigh with { Threshold = 99 }, TestRules.TemperatureLow with { Enabled = false }, custom]);
        Assert.Equal([TestRules.TemperatureHigh with { Threshold = 99 }, custom], effective);
    }
}
