using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Traces.LocalServer;

namespace Traces.Benchmarks;

/// <summary>
/// <c>--bench-start</c> (issue 14 item 3, "Start in a blink"): how long until a server has answered its first request,
/// in one process and run, interleaved, after a warm-up: a bare ASP.NET Core app (slim builder, Kestrel on
/// 127.0.0.1:0, one GET), an ephemeral <see cref="LocalTracesServer"/> (StartAsync, one authenticated GET), the same
/// with <c>UniqueCertificateKey</c> (its own RSA key generating in the background meanwhile), and a server whose data
/// directory already holds its keys (a restart). Each time is from the first line of setup to the GET's response.
/// </summary>
internal static class StartBench
{
    public static async Task<int> RunAsync(int rounds)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# local server start benchmark: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"# load average at start: {LoadAverage.Read()}");
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        var dataDirectory = Path.Combine(Path.GetTempPath(), "traces-bench-start-" + Guid.NewGuid().ToString("N")[..8]);

        try
        {
            // Warm-up: JIT, Kestrel, SQLite, the process-wide ephemeral key (waited for here, outside any measurement),
            // and the keys of the data directory (generated once, on its first start).
            await BareAppAsync(http);
            await TimeServerAsync(http, new LocalTracesServerOptions(), waitForKey: true);
            await TimeServerAsync(http, new LocalTracesServerOptions { UniqueCertificateKey = true }, waitForKey: true);
            await TimeServerAsync(http, new LocalTracesServerOptions { DataDirectory = dataDirectory }, waitForKey: true);

            var bare = new List<double>();
            var ephemeral = new List<double>();
            var unique = new List<double>();
            var onDisk = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                bare.Add(await BareAppAsync(http));
                ephemeral.Add(await TimeServerAsync(http, new LocalTracesServerOptions(), waitForKey: false));
                onDisk.Add(await TimeServerAsync(http, new LocalTracesServerOptions { DataDirectory = dataDirectory }, waitForKey: false));
                // Its key is waited for after the measurement, so the generation does not eat into the next round.
                unique.Add(await TimeServerAsync(http, new LocalTracesServerOptions { UniqueCertificateKey = true }, waitForKey: true));
            }

            Console.WriteLine($"warm (in one process, after a warm-up), rounds: {rounds}");
            Print("bare_aspnetcore_ms", bare);
            Print("ephemeral_ms", ephemeral);
            Print("ephemeral_unique_key_ms", unique);
            Print("keys_on_disk_ms", onDisk);
            Console.WriteLine(string.Create(inv, $"ratio_ephemeral_vs_bare: {Median(ephemeral) / Median(bare):F2}  (target <= 2.00)"));
            Console.WriteLine(string.Create(inv, $"ratio_unique_key_vs_bare: {Median(unique) / Median(bare):F2}"));
            Console.WriteLine(string.Create(inv, $"ratio_keys_on_disk_vs_bare: {Median(onDisk) / Median(bare):F2}"));

            // Cold: the first start in a fresh process (what one test process, the quickstart or `traces serve` pays),
            // each kind in its own child process, interleaved; timed inside the child from Main to the GET's response.
            var coldBare = new List<double>();
            var coldEphemeral = new List<double>();
            var coldOnDisk = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                coldBare.Add(await ChildAsync("bare", dataDirectory));
                coldEphemeral.Add(await ChildAsync("ephemeral", dataDirectory));
                coldOnDisk.Add(await ChildAsync("disk", dataDirectory));
            }

            Console.WriteLine($"cold (first start in a fresh process), rounds: {rounds}");
            Print("cold_bare_aspnetcore_ms", coldBare);
            Print("cold_ephemeral_ms", coldEphemeral);
            Print("cold_keys_on_disk_ms", coldOnDisk);
            Console.WriteLine(string.Create(inv, $"cold_ratio_ephemeral_vs_bare: {Median(coldEphemeral) / Median(coldBare):F2}  (target <= 2.00)"));
            Console.WriteLine(string.Create(inv, $"cold_ratio_keys_on_disk_vs_bare: {Median(coldOnDisk) / Median(coldBare):F2}"));
            Console.WriteLine($"# load average at end: {LoadAverage.Read()}");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary><c>--start-child kind dir</c>: one cold start in this fresh process; prints the milliseconds.</summary>
    public static async Task<int> ChildMainAsync(string kind, string dataDirectory)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        var elapsed = kind switch
        {
            "bare" => await BareAppAsync(http),
            "ephemeral" => await TimeServerAsync(http, new LocalTracesServerOptions(), waitForKey: false),
            _ => await TimeServerAsync(http, new LocalTracesServerOptions { DataDirectory = dataDirectory }, waitForKey: false),
        };
        Console.WriteLine(elapsed.ToString("F1", CultureInfo.InvariantCulture));
        return 0;
    }

    private static async Task<double> ChildAsync(string kind, string dataDirectory)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StartBench).Assembly.Location);
        }

        start.ArgumentList.Add("--start-child");
        start.ArgumentList.Add(kind);
        start.ArgumentList.Add(dataDirectory);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"start child '{kind}' exited with {process.ExitCode}: {output}");
        }

        return double.Parse(output.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
    }

    private static async Task<double> BareAppAsync(HttpClient http)
    {
        var started = Stopwatch.GetTimestamp();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using (var response = await http.GetAsync(address + "/"))
        {
            response.EnsureSuccessStatusCode();
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await app.StopAsync();
        return elapsed;
    }

    private static async Task<double> TimeServerAsync(HttpClient http, LocalTracesServerOptions options, bool waitForKey)
    {
        var started = Stopwatch.GetTimestamp();
        var server = await LocalTracesServer.StartAsync(options);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "v1/traces?limit=1"));
            request.Headers.Add("x-api-key", server.ApiKey);
            using (var response = await http.SendAsync(request))
            {
                response.EnsureSuccessStatusCode();
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (waitForKey)
            {
                _ = server.PublicKeys; // blocks until the certificate key exists
            }

            return elapsed;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static void Print(string name, List<double> times)
    {
        var sorted = times.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {Median(times):F1}  min {sorted[0]:F1}  max {sorted[^1]:F1}"));
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

}
