using System.Globalization;
using BenchmarkDotNet.Running;
using Traces.Benchmarks;

// --bench [--entries N] [--peak N] [--rounds N] [--no-memory]: the quick figures (see QuickBench).
// --memory-child N: internal, one streamed verification in a fresh process.
// Anything else: BenchmarkDotNet's switcher (e.g. --filter '*').
if (args.Contains("--memory-child"))
{
    return QuickBench.MemoryChild(IntAfter(args, "--memory-child", 1_000_000));
}

// --sidclaw [--events N] [--per-trace N]: the SidClaw export benchmark (see SidClawBench).
if (args.Contains("--sidclaw-child"))
{
    var at = Array.IndexOf(args, "--sidclaw-child");
    return SidClawBench.Child(args[at + 1], args[at + 2] == "csv");
}

if (args.Contains("--sidclaw"))
{
    return SidClawBench.Run(IntAfter(args, "--events", 1_000_000), IntAfter(args, "--per-trace", 8));
}

// --bench-appends [--seconds N] [--rounds N] [--writers 1,4,16] [--servers durable,sync_off,...] [--no-idempotency-keys] [--one-trace]: the server's
// durable append throughput vs the same server with synchronous=OFF, in process, same run (issue 14; see AppendBench).
if (args.Contains("--bench-appends"))
{
    var writers = StringAfter(args, "--writers", "1,4,16").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
    return AppendBench.Run(IntAfter(args, "--seconds", 10), IntAfter(args, "--rounds", 3), writers,
        !args.Contains("--no-idempotency-keys"), args.Contains("--one-trace"), ParseServers(StringAfter(args, "--servers", "durable,per_write,sync_off")));
}

// --profile-appends [--entries N]: where the server's CPU per append goes (see AppendProfile).
if (args.Contains("--profile-appends"))
{
    return AppendProfile.Run(IntAfter(args, "--entries", 5_000));
}

// --client-alloc [--rounds N]: CPU time and bytes per call of each layer of the client call (ClientCallBenchmarks).
if (args.Contains("--client-alloc"))
{
    return ClientCallAllocations.Run(IntAfter(args, "--rounds", 5));
}

if (args.Contains("--sha"))
{
    return Profile.Sha();
}

if (args.Contains("--profile"))
{
    return Profile.Run(IntAfter(args, "--entries", 20_000), args.Contains("--producer-only"));
}

// --fuzz [--inputs N] [--seed N]: the verifier fuzzer (issue 9) with a larger budget than the CI test.
if (args.Contains("--fuzz"))
{
    return HostileModes.Fuzz(IntAfter(args, "--inputs", 20_000), IntAfter(args, "--seed", 20260317));
}

// --one-byte-reads [--rounds N]: time to verify 100/400/900 KB of whitespace in one entry streamed one byte per read.
if (args.Contains("--one-byte-reads"))
{
    return HostileModes.OneByteReads(IntAfter(args, "--rounds", 3));
}

// --bench-start [--rounds N]: local server start vs a bare ASP.NET Core app (issue 14 item 3; see StartBench).
// --bench-proof [--entries N] [--peak N]: streamed GET /proof and GET /v1/traces/{id} (issue 14 item 2; see ProofBench).
if (args.Contains("--proof-child"))
{
    var at = Array.IndexOf(args, "--proof-child");
    return await ProofBench.ChildAsync(args[at + 1], args[at + 2]);
}

if (args.Contains("--bench-proof"))
{
    return await ProofBench.RunAsync(IntAfter(args, "--entries", 10_000), IntAfter(args, "--peak", 1_000_000));
}

if (args.Contains("--start-child"))
{
    var at = Array.IndexOf(args, "--start-child");
    return await StartBench.ChildMainAsync(args[at + 1], args[at + 2]);
}

if (args.Contains("--bench-start"))
{
    return await StartBench.RunAsync(IntAfter(args, "--rounds", 15));
}

// --bench-pdf [--entries N] [--rounds N]: the proof PDF, PDFsharp vs the hand-written ASCII writer (see ProofPdfBench).
if (args.Contains("--bench-pdf"))
{
    return ProofPdfBench.Run(IntAfter(args, "--entries", 1_000), IntAfter(args, "--rounds", 5));
}

if (args.Contains("--bench"))
{
    return QuickBench.Run(IntAfter(args, "--entries", 100_000), IntAfter(args, "--peak", 1_000_000), args.Contains("--no-memory"), IntAfter(args, "--rounds", 3));
}

BenchmarkSwitcher.FromAssembly(typeof(QuickBench).Assembly).Run(args);
return 0;

static int IntAfter(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static string StringAfter(string[] args, string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

static string[] ParseServers(string list)
{
    var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var unknown = names.Except(AppendBench.AllServers).ToArray();
    if (unknown.Length > 0 || !names.Contains("durable"))
    {
        throw new ArgumentException($"--servers: 'durable' and any of {string.Join(", ", AppendBench.AllServers)} (unknown: {string.Join(", ", unknown)})");
    }

    return names;
}
