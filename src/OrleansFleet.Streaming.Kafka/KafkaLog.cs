using Confluent.Kafka;

using Microsoft.Extensions.Logging;

namespace OrleansFleet.Streaming.Kafka;

/// <summary>Routes librdkafka's own log lines and errors into the host's logging.</summary>
internal static class KafkaLog
{
    public static void Write(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
        {
            logger.Log(level, "librdkafka {Facility} {Name}: {Message}", message.Facility, message.Name, message.Message);
        }
    }

    public static void Error(ILogger logger, Error error)
    {
        // librdkafka reconnects by itself; a lost broker connection is a warning until it is fatal.
        var level = error.IsFatal ? LogLevel.Error : LogLevel.Warning;
        if (logger.IsEnabled(level))
        {
            logger.Log(level, "Kafka client error {Code}: {Reason}", error.Code, error.Reason);
        }
    }
}
