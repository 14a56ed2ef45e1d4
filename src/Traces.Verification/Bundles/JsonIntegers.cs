namespace Traces.Verification.Bundles;

/// <summary>The integers of traces/v1 documents: I-JSON integers (RFC 7493 §2.2, proof-format §2.2 rule 4).</summary>
internal static class JsonIntegers
{
    /// <summary>2^53 − 1, the largest integer every JSON implementation reads exactly.</summary>
    public const long MaxSafe = 9_007_199_254_740_991;

    /// <summary>True for a present value within ±(2^53 − 1).</summary>
    public static bool IsSafe(long? value) => value is >= -MaxSafe and <= MaxSafe;
}
