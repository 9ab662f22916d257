using OrleansFleet.Grains;
using OrleansFleet.Grains.Domain;
using OrleansFleet.Grains.State;
using OrleansFleet.Tests.Infrastructure;
using static OrleansFleet.Tests.Infrastructure.Events;

namespace OrleansFleet.Tests.Domain;

public sealed class DeviceModelAlarmTests
{
    private static readonly DateTimeOffset Now = T0.AddMinutes(1);

    private static DeviceModel NewModel(FleetOptions? options = null) => new("d1", new DeviceState(), options ?? TestRules.Options());

    private static void Send(DeviceModel model, params TelemetryEvent[] events)
    {
        foreach (var e in events)
        {
            model.Receive(e, Now);
        }
    }

    public static TheoryData<int> ChillerOrders() => [.. Enumerable.Range(0, 6)];

    [Theory]
    [MemberData(nameof(ChillerOrders))]
    public void Shutdown_between_two_overheats_gives_the_same_history_in_every_arrival_order(int order)
    {
        TelemetryEvent[] chiller = [Reading("d1", 1, 110), Status("d1", 2, DeviceStatus.Shutdown), Reading("d1", 3, 120)];
        var arrival = Permutations(chiller).ElementAt(order);
        var model = NewModel();
        Send(model, arrival);

        var history = model.Alarms(includeCleared: true);
        var alarm = Assert.Single(history);
        Assert.Equal(("temperature-high", AlarmState.Cleared, 1L, "shutdown", 110.0), (alarm.RuleId, alarm.State, alarm.RaisedBySeq!.Value, alarm.ClearReason!, alarm.Value!.Value));
        Assert.Empty(model.Alarms(includeCleared: false));
        Assert.Equal(DeviceStatus.Shutdown, model.State.Status);
        Assert.Equal(120, model.State.Metrics["temperature"]); // the reading is kept, it just raises nothing
    }

    [Fact]
    public void Overheat_with_a_higher_seq_than_the_shutdown_raises_no_alarm()
    {
        var model = NewModel();
        Send(model, Status("d1", 1, DeviceStatus.Shutdown), Reading("d1", 2, 130));
        Assert.Empty(model.Alarms(includeCleared: true));
    }

    [Fact]
    public void A_shutdown_report_carrying_an_overheat_reading_raises_nothing()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 70) with { Status = DeviceStatus.Running }, Reading("d1", 2, 115) with { Status = DeviceStatus.Shutdown });
        Assert.Empty(model.Alarms(includeCleared: true));
    }

    [Fact]
    public void Repeated_breaches_update_the_one_open_alarm_instead_of_opening_another()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 95), Reading("d1", 2, 99), Reading("d1", 3, 97));
        var alarm = Assert.Single(model.Alarms(includeCleared: true));
        Assert.Equal((AlarmState.Active, 97.0, 3, 1L), (alarm.State, alarm.Value!.Value, alarm.BreachCount, alarm.RaisedBySeq!.Value));
    }

    [Fact]
    public void Hysteresis_keeps_the_alarm_open_until_the_value_is_back_past_the_clear_threshold()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 95), Reading("d1", 2, 88));
        Assert.Single(model.Alarms(includeCleared: false));

        Send(model, Reading("d1", 3, 85));
        var alarm = Assert.Single(model.Alarms(includeCleared: true));
        Assert.Equal((AlarmState.Cleared, "recovered", T0.AddSeconds(3)), (alarm.State, alarm.ClearReason!, alarm.ClearedAt!.Value));

        Send(model, Reading("d1", 4, 91));
        Assert.Equal(2, model.Alarms(includeCleared: true).Count);
        Assert.Equal("a2", Assert.Single(model.Alarms(includeCleared: false)).Id);
    }

    [Fact]
    public void A_below_rule_raises_under_its_threshold_and_clears_above_its_clear_threshold()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 1.5), Reading("d1", 2, 3));
        Assert.Equal("temperature-low", Assert.Single(model.Alarms(includeCleared: false)).RuleId);
        Send(model, Reading("d1", 3, 4));
        Assert.Empty(model.Alarms(includeCleared: false));
    }

    [Fact]
    public void A_hold_time_raises_only_once_the_breach_has_lasted_that_long_in_device_time()
    {
        var model = NewModel();
        Send(model,
            Metrics("d1", 1, T0, ("pressure", 13)),
            Metrics("d1", 2, T0.AddSeconds(9), ("pressure", 13)));
        Assert.Empty(model.Alarms(includeCleared: false));

        Send(model, Metrics("d1", 3, T0.AddSeconds(10), ("pressure", 13.5)));
        var alarm = Assert.Single(model.Alarms(includeCleared: false));
        Assert.Equal((3L, T0.AddSeconds(10)), (alarm.RaisedBySeq!.Value, alarm.RaisedAt));
    }

    [Fact]
    public void A_breach_interrupted_before_its_hold_time_starts_over()
    {
        var model = NewModel();
        Send(model,
            Metrics("d1", 1, T0, ("pressure", 13)),
            Metrics("d1", 2, T0.AddSeconds(5), ("pressure", 10)),
            Metrics("d1", 3, T0.AddSeconds(12), ("pressure", 13)));
        Assert.Empty(model.Alarms(includeCleared: false));
    }

    [Fact]
    public void Acknowledge_moves_active_to_acknowledged_and_a_cleared_alarm_cannot_be_acknowledged()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 95));
        var ack = model.Acknowledge("a1", Now);
        Assert.Equal((AcknowledgeOutcome.Acknowledged, AlarmState.Acknowledged, Now), (ack.Outcome, ack.Alarm!.State, ack.Alarm.AcknowledgedAt!.Value));
        Assert.Equal(AcknowledgeOutcome.Acknowledged, model.Acknowledge("a1", Now.AddMinutes(1)).Outcome);
        Assert.Equal(Now, model.Alarms(false)[0].AcknowledgedAt); // acknowledging twice keeps the first time

        Send(model, Reading("d1", 2, 80));
        var cleared = Assert.Single(model.Alarms(includeCleared: true));
        Assert.Equal((AlarmState.Cleared, Now), (cleared.State, cleared.AcknowledgedAt!.Value));
        Assert.Equal(AcknowledgeOutcome.AlreadyCleared, model.Acknowledge("a1", Now).Outcome);
        Assert.Equal(AcknowledgeOutcome.NotFound, model.Acknowledge("a9", Now).Outcome);
    }

    [Fact]
    public void An_acknowledged_alarm_stays_the_one_open_alarm_of_its_rule()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 95));
        model.Acknowledge("a1", Now);
        Send(model, Reading("d1", 2, 99));
        var alarm = Assert.Single(model.Alarms(includeCleared: true));
        Assert.Equal((AlarmState.Acknowledged, 99.0), (alarm.State, alarm.Value!.Value));
    }

    [Fact]
    public void A_device_override_replaces_the_fleet_rule_with_the_same_id()
    {
        var model = NewModel();
        model.SetRules([TestRules.TemperatureHigh with { Threshold = 100, ClearThreshold = 95 }], Now);
        Send(model, Reading("d1", 1, 95));
        Assert.Empty(model.Alarms(includeCleared: false));
        Send(model, Reading("d1", 2, 101));
        Assert.Single(model.Alarms(includeCleared: false));
    }

    [Fact]
    public void Disabling_a_rule_clears_its_open_alarm_as_rule_removed()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 95));
        var rules = model.SetRules([TestRules.TemperatureHigh with { Enabled = false }], Now);
        Assert.DoesNotContain(rules.Effective, r => r.Id == "temperature-high");
        var alarm = Assert.Single(model.Alarms(includeCleared: true));
        Assert.Equal((AlarmState.Cleared, "rule-removed"), (alarm.State, alarm.ClearReason!));
        Send(model, Reading("d1", 2, 99));
        Assert.Empty(model.Alarms(includeCleared: false));
    }

    [Fact]
    public void Alarm_history_is_bounded_and_drops_the_oldest()
    {
        var model = NewModel(TestRules.Options(o => o.AlarmHistoryLimit = 3));
        for (var i = 0; i < 5; i++)
        {
            Send(model, Reading("d1", (i * 2) + 1, 95), Reading("d1", (i * 2) + 2, 80));
        }

        Assert.Equal(["a5", "a4", "a3"], model.Alarms(includeCleared: true).Select(a => a.Id));
    }

    [Fact]
    public void The_read_model_summary_changes_on_first_report_status_and_alarms_but_not_on_plain_readings()
    {
        var model = NewModel();
        Send(model, Reading("d1", 1, 20));
        Assert.True(model.TakeSummaryChange());
        Send(model, Reading("d1", 2, 21));
        Assert.False(model.TakeSummaryChange());
        Send(model, Reading("d1", 3, 95));
        Assert.True(model.TakeSummaryChange());
        Send(model, Status("d1", 4, DeviceStatus.Maintenance));
        Assert.True(model.TakeSummaryChange());
        Assert.Equal(3, model.Summary().Version);
    }
}
