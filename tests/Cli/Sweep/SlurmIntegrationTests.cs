using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace HwSim.Tests.Cli.Sweep;

/// <summary>
/// `hwsim sweep --slurm` on a real one-node Slurm: Debian's munge and slurm-wlm (test.sh installs them), with munged,
/// slurmctld and slurmd started here on a private key, socket, state directories and ports, and stopped by their pids.
/// A 4-task job array and its dependent merge job must give the results of a local run. If Slurm cannot start, the test
/// fails and says why.
/// </summary>
public class SlurmIntegrationTests : TemporaryDirectory
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60), JobTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void JobArrayAndMergeJobGiveTheLocalResults()
    {
        foreach (string program in new[] { "/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd" })
            Assert.True(File.Exists(program), $"{program} is missing: install munge and slurm-wlm (test.sh does when run as root)");
        foreach (string program in new[] { "sbatch", "sinfo", "scontrol" })
            Assert.True(OnPath(program), $"{program} is not on PATH: install slurm-wlm-basic-plugins/slurm-client (test.sh installs slurm-wlm)");

        string root = TempPath;
        string study = Path.Combine(root, "study.yaml");
        File.WriteAllText(study, SweepFixtures.SmallStudy);
        string local = Path.Combine(root, "local"), cluster = Path.Combine(root, "cluster");
        var (localExit, _, localError) = SweepFixtures.Run(["sweep", study, "--results", local, "--quiet"], JobTimeout);
        Assert.True(localExit == 0, localError);

        var daemons = new List<string>();
        try
        {
            string conf = StartSlurm(root, daemons);
            var environment = new Dictionary<string, string> { ["SLURM_CONF"] = conf };
            var (exit, output, error) = SweepFixtures.Run(["sweep", study, "--results", cluster, "--slurm", "--tasks", "4", "--export", "json"], JobTimeout, environment);
            Assert.True(exit == 0, $"hwsim sweep --slurm failed: {error}");
            var ids = System.Text.RegularExpressions.Regex.Match(output, @"submitted job array (\d+) .* and merge job (\d+) ");
            Assert.True(ids.Success, output);
            Assert.Contains("#SBATCH --array=0-3", File.ReadAllText(Path.Combine(cluster, "sweep.sbatch")));
            string state = WaitForJob(ids.Groups[2].Value, conf);
            Assert.True(state == "COMPLETED", $"merge job ended {state}; logs: {Logs(cluster)}");
            Assert.Equal(4, Directory.GetFiles(Path.Combine(cluster, "shards"), "shard-*-of-4.db").Length);
            Assert.Equal(File.ReadAllText(Path.Combine(local, "results.csv")), File.ReadAllText(Path.Combine(cluster, "results.csv")));
            Assert.True(File.Exists(Path.Combine(cluster, "results.json")), "the merge job writes the exports --slurm was given");
        }
        finally
        {
            foreach (string pidFile in Enumerable.Reverse(daemons)) Stop(pidFile);
        }
    }

    /// <summary>Starts munged, slurmctld and slurmd; returns the slurm.conf path once the node is idle.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string StartSlurm(string root, List<string> daemons)
    {
        string munge = Path.Combine(root, "munge"), state = Path.Combine(root, "slurm-state"), spool = Path.Combine(root, "slurm-spool");
        foreach (string dir in new[] { munge, state, spool }) Directory.CreateDirectory(dir);
        File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string key = Path.Combine(munge, "munge.key"), socket = Path.Combine(munge, "munge.socket");
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string mungePid = Path.Combine(munge, "munged.pid");
        Daemon("/usr/sbin/munged", ["--force", $"--key-file={key}", $"--socket={socket}", $"--pid-file={mungePid}",
            $"--log-file={Path.Combine(munge, "munged.log")}", $"--seed-file={Path.Combine(munge, "munged.seed")}"], mungePid, daemons);

        int controllerPort = FreePort(), nodePort = FreePort();
        string conf = Path.Combine(root, "slurm.conf");
        string ctldPid = Path.Combine(root, "slurmctld.pid"), slurmdPid = Path.Combine(root, "slurmd.pid");
        File.WriteAllText(conf, $"""
            ClusterName=hwsimtest
            SlurmctldHost=localhost(127.0.0.1)
            SlurmctldPort={controllerPort}
            SlurmdPort={nodePort}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={socket}
            StateSaveLocation={state}
            SlurmdSpoolDir={spool}
            SlurmctldPidFile={ctldPid}
            SlurmdPidFile={slurmdPid}
            SlurmctldLogFile={Path.Combine(root, "slurmctld.log")}
            SlurmdLogFile={Path.Combine(root, "slurmd.log")}
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerType=sched/builtin
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            MpiDefault=none
            ReturnToService=2
            NodeName=localhost NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} RealMemory=1000 State=UNKNOWN
            PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP

            """);
        Daemon("/usr/sbin/slurmctld", ["-f", conf], ctldPid, daemons);
        Daemon("/usr/sbin/slurmd", ["-f", conf, "-N", "localhost"], slurmdPid, daemons);
        var deadline = DateTime.UtcNow + Startup;
        string node = "";
        while (DateTime.UtcNow < deadline)
        {
            node = Tool("sinfo", ["-h", "-o", "%T"], conf).Output.Trim();
            if (node == "idle") return conf;
            Thread.Sleep(500);
        }
        Assert.Fail($"Slurm did not start: node state '{node}' after {Startup.TotalSeconds} s; slurmctld.log: {Tail(Path.Combine(root, "slurmctld.log"))}; slurmd.log: {Tail(Path.Combine(root, "slurmd.log"))}");
        return conf;
    }

    /// <summary>Runs a daemon that forks into the background and records its pid in <paramref name="pidFile"/>.</summary>
    private static void Daemon(string program, string[] arguments, string pidFile, List<string> daemons)
    {
        var (exit, output, error) = Tool(program, arguments, null);
        Assert.True(exit == 0, $"{program} did not start (exit {exit}): {error}{output}");
        var deadline = DateTime.UtcNow + Startup;
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{program} wrote no pid file {pidFile}");
            Thread.Sleep(100);
        }
        daemons.Add(pidFile);
    }

    private static void Stop(string pidFile)
    {
        if (!int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid)) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }

    /// <summary>The job's final state, polled with scontrol until it leaves the queue's pending and running states.</summary>
    private static string WaitForJob(string id, string conf)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        string state = "";
        while (DateTime.UtcNow < deadline)
        {
            var match = System.Text.RegularExpressions.Regex.Match(Tool("scontrol", ["show", "job", id], conf).Output, @"JobState=(\w+)");
            state = match.Success ? match.Groups[1].Value : "unknown";
            if (state is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL" or "OUT_OF_MEMORY") return state;
            Thread.Sleep(500);
        }
        return $"{state} (still after {JobTimeout.TotalMinutes} min)";
    }

    private static (int Exit, string Output, string Error) Tool(string program, IEnumerable<string> arguments, string? conf)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (conf is not null) start.Environment["SLURM_CONF"] = conf;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output.Result, $"{program} timed out");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));

    private static string Tail(string path) => File.Exists(path) ? string.Join(" | ", File.ReadLines(path).TakeLast(5)) : "(no log)";

    private static string Logs(string results)
    {
        string logs = Path.Combine(results, "logs");
        if (!Directory.Exists(logs)) return "(none)";
        var text = new StringBuilder();
        foreach (string file in Directory.GetFiles(logs).Order(StringComparer.Ordinal)) text.Append(Path.GetFileName(file)).Append(": ").Append(File.ReadAllText(file).Trim()).Append("; ");
        return text.ToString();
    }
}
