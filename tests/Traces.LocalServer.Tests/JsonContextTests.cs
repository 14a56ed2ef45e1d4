using Traces.LocalServer.Api;

namespace Traces.LocalServer.Tests;

/// <summary>
/// The Native AOT build has no reflection-based JSON, while these tests run with the reflection fallback: a contract
/// missing from <see cref="ServerJsonContext"/> would pass here and fail only in the AOT binary. This catches it.
/// </summary>
public sealed class JsonContextTests
{
    public static TheoryData<string> Contracts() =>
    [
        .. typeof(ServerJsonContext).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ServerJsonContext).Namespace && t != typeof(JsonResponse)
                && (t.Name.EndsWith("Request", StringComparison.Ordinal) || t.Name.EndsWith("Response", StringComparison.Ordinal)))
            .Select(t => t.FullName!),
    ];

    [Theory]
    [MemberData(nameof(Contracts))]
    public void EveryRequestAndResponseType_IsSourceGenerated(string typeName)
    {
        var type = typeof(ServerJsonContext).Assembly.GetType(typeName, throwOnError: true)!;
        Assert.NotNull(ServerJsonContext.Default.GetTypeInfo(type));
    }

    [Fact]
    public void TheContractList_IsNotEmpty() => Assert.True(Contracts().Count >= 12);
}
