using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace HwSim.Cli.Sweep;

/// <summary>
/// A sweep's results in one SQLite file. Each point is one row of <c>points</c>, keyed by the SHA-256 of its resolved
/// inputs and written in its own transaction (<c>INSERT OR IGNORE</c>), with the journal in WAL mode: a process killed
/// at any moment leaves every committed point and no partial one, and a rerun computes only the points whose key is
/// absent. Shard stores have the same schema, and merging copies their rows in the same way.
/// </summary>
public sealed class SweepStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly object gate = new();

    public string Path { get; }

    public SweepStore(string path)
    {
        Path = path;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;");
        var metrics = string.Concat(SweepMetrics.All.Select(m => $", {m.Name} {(m.Integer ? "INTEGER" : "REAL")}"));
        Execute($"""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS points (
                point_hash TEXT PRIMARY KEY, point_index INTEGER NOT NULL, design TEXT NOT NULL, axes TEXT NOT NULL,
                feasible INTEGER NOT NULL, violated TEXT, not_priced TEXT{metrics},
                inputs TEXT NOT NULL, hwsim_version TEXT NOT NULL, hwsim_commit TEXT NOT NULL);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '{SchemaVersion}');
            """);
        if (Scalar("SELECT value FROM meta WHERE key = 'schema_version'") is string version && version != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new UserInputException($"{path}: a sweep store of schema version {version}; this HwSim reads version {SchemaVersion}");
        insert = connection.CreateCommand();
        var names = new[] { "point_hash", "point_index", "design", "axes", "feasible", "violated", "not_priced" }
            .Concat(SweepMetrics.All.Select(m => m.Name)).Concat(["inputs", "hwsim_version", "hwsim_commit"]).ToList();
        insert.CommandText = $"INSERT OR IGNORE INTO points ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select(n => "$" + n))})";
        foreach (string name in names) insert.Parameters.Add(new SqliteParameter("$" + name, null));
    }

    /// <summary>Records study facts (name, hash, point count) for people who open the store.</summary>
    public void SetMeta(string key, string value)
    {
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            command.Parameters.AddWithValue("$k", key);
            command.Parameters.AddWithValue("$v", value);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The keys of every stored point.</summary>
    public HashSet<string> Hashes()
    {
        lock (gate)
        {
            var hashes = new HashSet<string>(StringComparer.Ordinal);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT point_hash FROM points";
            using var reader = command.ExecuteReader();
            while (reader.Read()) hashes.Add(reader.GetString(0));
            return hashes;
        }
    }

    public long Count() { lock (gate) return (long)Scalar("SELECT COUNT(*) FROM points")!; }

    /// <summary>Stores one point in its own transaction; a point already stored is left as it is. Thread-safe.</summary>
    public void Add(SweepRow row)
    {
        lock (gate)
        {
            var p = insert.Parameters;
            p["$point_hash"].Value = row.Hash;
            p["$point_index"].Value = row.Index;
            p["$design"].Value = row.Design;
            p["$axes"].Value = row.Axes.ToJsonString();
            p["$feasible"].Value = row.Feasible ? 1 : 0;
            p["$violated"].Value = (object?)row.Violated ?? DBNull.Value;
            p["$not_priced"].Value = (object?)row.NotPriced ?? DBNull.Value;
            foreach (var metric in SweepMetrics.All)
                p["$" + metric.Name].Value = row.Metrics.GetValueOrDefault(metric) is { } v ? (metric.Integer ? checked((long)v) : v) : DBNull.Value;
            p["$inputs"].Value = row.Inputs.ToJsonString();
            p["$hwsim_version"].Value = row.HwsimVersion;
            p["$hwsim_commit"].Value = row.HwsimCommit;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Every stored row, by key.</summary>
    public Dictionary<string, SweepRow> Rows()
    {
        lock (gate)
        {
            var rows = new Dictionary<string, SweepRow>(StringComparer.Ordinal);
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT point_hash, point_index, design, axes, feasible, violated, not_priced, {string.Join(", ", SweepMetrics.All.Select(m => m.Name))}, inputs, hwsim_version, hwsim_commit FROM points";
            using var reader = command.ExecuteReader();
            int first = 7, n = SweepMetrics.All.Count;
            while (reader.Read())
            {
                var metrics = new Dictionary<SweepMetric, double?>();
                for (int i = 0; i < n; i++) metrics[SweepMetrics.All[i]] = reader.IsDBNull(first + i) ? null : reader.GetDouble(first + i);
                rows[reader.GetString(0)] = new SweepRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2),
                    (JsonObject)JsonNode.Parse(reader.GetString(3))!, reader.GetInt64(4) != 0,
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), metrics,
                    (JsonObject)JsonNode.Parse(reader.GetString(first + n))!, reader.GetString(first + n + 1), reader.GetString(first + n + 2));
            }
            return rows;
        }
    }

    /// <summary>Copies every point of another store (a shard's) that this one lacks, in one transaction.</summary>
    public long MergeFrom(string shardPath)
    {
        lock (gate)
        {
            long before = (long)Scalar("SELECT COUNT(*) FROM points")!;
            using (var attach = connection.CreateCommand())
            {
                attach.CommandText = "ATTACH DATABASE $path AS shard";
                attach.Parameters.AddWithValue("$path", shardPath);
                attach.ExecuteNonQuery();
            }
            try
            {
                using var transaction = connection.BeginTransaction();
                using (var copy = connection.CreateCommand())
                {
                    copy.Transaction = transaction;
                    copy.CommandText = "INSERT OR IGNORE INTO main.points SELECT * FROM shard.points";
                    copy.ExecuteNonQuery();
                }
                transaction.Commit();
            }
            finally
            {
                Execute("DETACH DATABASE shard");
            }
            return (long)Scalar("SELECT COUNT(*) FROM points")! - before;
        }
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        insert.Dispose();
        // A clean close checkpoints the WAL into the main file, so a finished store is one file.
        connection.Close();
        connection.Dispose();
    }
}
