using System.Reflection;
using System.Runtime.InteropServices;

using Confluent.Kafka;

namespace OrleansFleet.Testing;

/// <summary>
/// The few functions of librdkafka's mock-cluster C API the tests need, bound to the very librdkafka build
/// Confluent.Kafka loaded (on Debian that is its fallback build, since the default one needs a libsasl2 that is not
/// installed), found through <c>/proc/self/maps</c> so both use one library instance and one mock cluster.
/// </summary>
internal static class MockApi
{
    private static readonly Lazy<nint> Library = new(() =>
    {
        var path = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 6 && parts[5].EndsWith("librdkafka.so", StringComparison.Ordinal))
            .Select(parts => parts[5])
            .FirstOrDefault() ?? throw new InvalidOperationException("librdkafka is not loaded yet; create a Kafka client first");
        return NativeLibrary.Load(path);
    });

    private static readonly Lazy<HandleMockCluster> GetCluster = new(() =>
        Marshal.GetDelegateForFunctionPointer<HandleMockCluster>(NativeLibrary.GetExport(Library.Value, "rd_kafka_handle_mock_cluster")));

    private static readonly Lazy<MockTopicCreate> CreateTopic = new(() =>
        Marshal.GetDelegateForFunctionPointer<MockTopicCreate>(NativeLibrary.GetExport(Library.Value, "rd_kafka_mock_topic_create")));

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint HandleMockCluster(nint rk);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MockTopicCreate(nint mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitionCount, int replicationFactor);

    /// <summary>The mock cluster a client with <c>test.mock.num.brokers</c> hosts.</summary>
    public static nint Cluster(IClient client)
    {
        // Confluent.Kafka keeps the native rd_kafka_t* in an internal SafeHandle.
        var safeHandle = (SafeHandle)typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(client.Handle)!;
        var cluster = GetCluster.Value(safeHandle.DangerousGetHandle());
        return cluster != 0 ? cluster : throw new InvalidOperationException("the client hosts no mock cluster");
    }

    /// <summary>rd_kafka_mock_topic_create; 0 on success.</summary>
    public static int TopicCreate(nint cluster, string topic, int partitions, int replicationFactor) =>
        CreateTopic.Value(cluster, topic, partitions, replicationFactor);
}
