using Traces.TestSupport.Fuzzing;
using Traces.Verification.Pipeline;
using Traces.Verification.Tests.Pipeline;

namespace Traces.Verification.Tests.Fuzzing;

/// <summary>
/// The bounded fuzz run of issue 9 ("Must show"), in CI: a fixed seed and budget, so it replays exactly and runs in
/// seconds. Mutated bundles, certificates, entry lists and inclusion proofs go through every entry point (bytes, a
/// stream in random chunks including one byte per read, typed objects); no call may throw, the entry points must
/// agree, nothing is Valid unless its signed content is genuine, and no signature worker outlives a call.
/// <c>dotnet run -c Release --project benchmarks/Traces.Benchmarks -- --fuzz</c> runs the same fuzzer with a larger budget.
/// </summary>
[Collection(nameof(WorkerCountingCollection))]
public class VerifierFuzzTests
{
    [Fact]
    public void Fuzz_FixedSeed_1000Inputs_NoViolation()
    {
        var statistics = VerifierFuzzer.Run(new FuzzOptions(Inputs: 1000, Seed: 20260317, LiveWorkers: () => SignatureWorkers.Running));

        TestContext.Current.TestOutputHelper?.WriteLine(statistics.ToString());
        string[] kinds = ["bundle", "certificate", "entries", "inclusion"];
        Assert.Equal(1000, kinds.Sum(k => statistics.Inputs.GetValueOrDefault(k)));
        // Every kind and both verdicts were reached: the budget is not spent on broken JSON alone.
        Assert.All(kinds, kind => Assert.True(statistics.Inputs.GetValueOrDefault(kind) > 50, statistics.ToString()));
        Assert.All(new[] { "Valid", "Invalid" }, verdict => Assert.True(statistics.Verdicts.GetValueOrDefault(verdict) > 10, statistics.ToString()));
        Assert.True(statistics.FaithfulTyped > 100, statistics.ToString());
    }
}
