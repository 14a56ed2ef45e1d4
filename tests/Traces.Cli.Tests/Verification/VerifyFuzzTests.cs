using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;
using Traces.TestSupport.Fuzzing;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Cli.Tests.Verification;

/// <summary>
/// Issue 9 ("Must show"): mutated bundles, certificates, entry lists and inclusion proofs through the verification
/// commands, human and <c>--json</c>. Whatever the input, the tool exits with a documented code, never prints a stack
/// trace, prints exactly one JSON document with <c>--json</c>, and agrees with the library on the verdict. A fixed seed
/// and budget, so a failure replays exactly.
/// </summary>
public sealed class VerifyFuzzTests
{
    private const int Seed = 20261202;
    private const int Inputs = 150;

    private static readonly int[] s_verificationExitCodes = [ExitCodes.Valid, ExitCodes.Invalid, ExitCodes.Untrusted, ExitCodes.UnusableInput];

    [Fact]
    public async Task VerifyCommands_MutatedDocuments_ExitWithDocumentedCodes_NoStackTrace_OneJsonDocument()
    {
        var corpus = FuzzCorpus.Load();
        var mutator = new JsonMutator(new Random(Seed));
        var random = new Random(Seed + 1);
        var library = new BundleVerifier(TrustPolicy.FromFile(Tool.PublicKeys));
        using var temp = new TempDirectory();
        var exits = new Dictionary<int, int>();

        for (var i = 0; i < Inputs; i++)
        {
            var kind = i % 4;
            var original = kind switch
            {
                0 => corpus.Bundles[random.Next(corpus.Bundles.Count)],
                1 => corpus.Certificate,
                2 => corpus.Entries,
                _ => corpus.Proof,
            };
            var mutated = mutator.Mutate(original, out var what);
            var file = temp.File($"input-{i}.json");
            await File.WriteAllBytesAsync(file, mutated, TestContext.Current.CancellationToken);
            var certificateFile = temp.File("certificate.json");
            await File.WriteAllBytesAsync(certificateFile, corpus.Certificate, TestContext.Current.CancellationToken);
            var entryFile = temp.File("entry.json");
            await File.WriteAllBytesAsync(entryFile, corpus.Entry, TestContext.Current.CancellationToken);

            string[] command = kind switch
            {
                0 => ["verify", file],
                1 => ["verify-certificate", file],
                2 => ["verify-certificate", certificateFile, "--entries", file],
                _ => ["verify-inclusion", entryFile, "--proof", file, "--certificate", certificateFile],
            };
            var context = $"input {i} ({string.Join(' ', command.Take(1))}, mutation: {what})";

            var human = await Tool.RunAsync([.. command, "--trust", Tool.PublicKeys]);
            var json = await Tool.RunAsync([.. command, "--trust", Tool.PublicKeys, "--json"]);

            foreach (var result in new[] { human, json })
            {
                Assert.True(s_verificationExitCodes.Contains(result.ExitCode), $"{context}: {result}");
                Assert.DoesNotContain("   at ", result.Out + result.Error, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", result.Out + result.Error, StringComparison.Ordinal);
            }

            Assert.Equal(human.ExitCode, json.ExitCode);
            // With --json, stdout is exactly one JSON document (JsonDocument.Parse rejects trailing content), with the
            // exit code it stands for; only an unusable input (exit 3) may leave stdout empty and explain on stderr.
            Assert.True(json.ExitCode == ExitCodes.UnusableInput || json.Out.Length > 0, $"{context}: {json}");
            if (json.Out.Length > 0)
            {
                using var document = JsonDocument.Parse(json.Out);
                Assert.Equal(json.ExitCode, document.RootElement.GetProperty("exit_code").GetInt32());
            }

            if (kind == 0 && json.ExitCode != ExitCodes.UnusableInput)
            {
                var report = library.Verify(mutated);
                var expected = report.Verdict switch
                {
                    Verdict.Valid => ExitCodes.Valid,
                    Verdict.Untrusted => ExitCodes.Untrusted,
                    _ => ExitCodes.Invalid,
                };
                Assert.True(expected == json.ExitCode, $"{context}: library says {report.Verdict}, tool exits {json.ExitCode}");
            }

            exits[json.ExitCode] = exits.GetValueOrDefault(json.ExitCode) + 1;
        }

        // The budget reaches both sides: not only broken JSON, not only intact documents.
        Assert.True(exits.GetValueOrDefault(ExitCodes.Invalid) > 20, string.Join(", ", exits));
        Assert.True(exits.GetValueOrDefault(ExitCodes.Valid) > 5, string.Join(", ", exits));
    }
}
