using StackExchange.Redis;

namespace OrleansFleet.Streaming.Redis;

/// <summary>
/// Trims a partition stream to its retention length without ever removing an entry that some consumer group still
/// needs. Plain <c>XTRIM MAXLEN</c> does not know about consumer groups and would delete unacknowledged or unread
/// entries of a slow (or newly created) service. The script runs atomically in Redis:
/// <list type="number">
/// <item>the floor of every group is its oldest pending (delivered, unacknowledged) entry, or, when it has none,
/// its last-delivered id (everything after it is unread); the stream's floor is the lowest of them, and a stream
/// without any group is not trimmed at all;</item>
/// <item>it removes at most <c>min(XLEN - retain, maxPerPass)</c> of the oldest entries, and only those strictly
/// below the floor (<c>XRANGE - (floor COUNT n</c>, then <c>XTRIM MINID</c> + <c>XDEL</c> of the last one).</item>
/// </list>
/// </summary>
public static class RedisSafeTrimmer
{
    private const string Script = """
        local len = redis.call('XLEN', KEYS[1])
        local excess = len - tonumber(ARGV[1])
        if excess <= 0 then return 0 end
        if excess > tonumber(ARGV[2]) then excess = tonumber(ARGV[2]) end
        local function parse(id)
          local dash = string.find(id, '-', 1, true)
          return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
        end
        local function less(a, b)
          local am, as = parse(a)
          local bm, bs = parse(b)
          return am < bm or (am == bm and as < bs)
        end
        local floor = nil
        local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
        if #groups == 0 then return 0 end
        for _, g in ipairs(groups) do
          local name, pending, last
          for i = 1, #g, 2 do
            if g[i] == 'name' then name = g[i + 1]
            elseif g[i] == 'pending' then pending = g[i + 1]
            elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
          end
          local need = last
          if pending > 0 then
            local summary = redis.call('XPENDING', KEYS[1], name)
            need = summary[2]
          end
          if floor == nil or less(need, floor) then floor = need end
        end
        if floor == '0-0' then return 0 end
        local victims = redis.call('XRANGE', KEYS[1], '-', '(' .. floor, 'COUNT', excess)
        if #victims == 0 then return 0 end
        local lastVictim = victims[#victims][1]
        redis.call('XTRIM', KEYS[1], 'MINID', lastVictim)
        redis.call('XDEL', KEYS[1], lastVictim)
        return #victims
        """;

    /// <summary>Trims <paramref name="stream"/> towards <paramref name="retain"/> entries; returns how many were removed.</summary>
    public static async Task<long> TrimAsync(IDatabase database, RedisKey stream, long retain, int maxPerPass)
    {
        ArgumentNullException.ThrowIfNull(database);
        var result = await database.ScriptEvaluateAsync(Script, [stream], [retain, maxPerPass]).ConfigureAwait(false);
        return (long)result;
    }
}
