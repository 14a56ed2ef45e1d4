[assembly: AssemblyFixture(typeof(Traces.LocalServer.Tests.Infrastructure.SharedServer))]

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>
/// One in-process server for the tests that do not need special options. Two tenants: the default one and
/// <c>tenant-b</c> (key <see cref="OtherTenantKey"/>), plus a second key of the default tenant.
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    public const string OtherTenantKey = "tk_test_tenant_b";
    public const string SecondDefaultKey = "tk_test_default_second";

    private LocalTracesServer? _server;

    public LocalTracesServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await TestServers.StartAsync(options =>
        {
            options.AdditionalApiKeys[OtherTenantKey] = "tenant-b";
            options.AdditionalApiKeys[SecondDefaultKey] = options.DefaultTenantId;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            var dir = _server.DataDirectory;
            await _server.DisposeAsync();
            TestServers.DeleteDirectory(dir);
        }
    }
}
