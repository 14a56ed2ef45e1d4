using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traces.LocalServer;
using Traces.LocalServer.Api;
using Traces.LocalServer.Infrastructure;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Storage;
using Traces.Verification.Hashing;

namespace Traces.Benchmarks;

/// <summary>
/// <c>--profile-appends</c>: where the CPU of one <c>POST /v1/traces/{id}/steps</c> goes. Each step of the append
/// path is timed alone on one thread with the server's own code (JSON, RFC 8785, SHA-256, Ed25519, rendering); the
/// SQLite share is the writer's own time per write; the HTTP share is a bare ASP.NET Core app answering the same
/// request with canned bytes, driven by the same client; the total is the process CPU per append of the real server,
/// one writer, no fsync (client included in both HTTP figures, so their difference is the server's own work).
/// </summary>
internal static class AppendProfile
{
    public static int Run(int n)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"# profile-appends: n={n}, loadavg {File.ReadAllText("/proc/loadavg").Trim()}");
        var body = Encoding.UTF8.GetBytes($"{{\"type\":\"ACTION\",\"content\":\"writer 0 step 1 {new string('x', 200)}\",\"metadata\":{{\"tool\":\"search\",\"attempt\":1}}}}");
        var dir = Path.Combine(Path.GetTempPath(), "traces-profile-appends-" + Guid.NewGuid().ToString("N")[..12]);
        var server = LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = dir, DurableWrites = false }).GetAwaiter().GetResult();
        try
        {
            var keys = server.Services.GetRequiredService<ServerKeys>();
            // The RSA-4096 certificate key of a new data directory is generated in the background (seconds of CPU): wait
            // for it, or it is counted in the process CPU per append below.
            keys.GetCertificateKeyAsync(CancellationToken.None).GetAwaiter().GetResult();
            var idempotency = server.Services.GetRequiredService<Traces.LocalServer.Idempotency.IdempotencyStore>();
            var renderer = server.Services.GetRequiredService<ResponseRenderer>();
            var clock = server.Services.GetRequiredService<MonotonicClock>();
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var payload = EntryService.Payload(("type", "ACTION"), ("content", root.GetProperty("content").GetString()), ("metadata", root.GetProperty("metadata")));
            var canonical = ProofPrimitives.Canonicalize(payload);
            var payloadHash = Digest.Compute(canonical);
            var contentHash = ProofPrimitives.ContentHash("evt_01JABCDEFGHJKMNPQRSTVWXYZ0", "agent.step", clock.NowCanonical(), payloadHash);
            for (var pass = 0; pass < 2; pass++)
            {
                Console.WriteLine($"# pass {pass + 1}: CPU µs per append, one thread");
                Time("I-JSON gate: RFC 8785 of the whole body", n, () => ProofPrimitives.TryCanonicalize(body, out _, out _));
                Time("JsonDocument.Parse of the body + 3 fields", n, () =>
                {
                    using var d = JsonDocument.Parse(body);
                    return d.RootElement.GetProperty("type").GetString()!.Length + d.RootElement.GetProperty("content").GetString()!.Length
                        + ProofPrimitives.Canonicalize(d.RootElement.GetProperty("metadata")).Length;
                });
                Time("payload object built (write, parse, clone)", n, () => EntryService.Payload(("type", "ACTION"), ("content", "x"), ("metadata", root.GetProperty("metadata"))));
                Time("RFC 8785 of the payload", n, () => ProofPrimitives.Canonicalize(payload));
                Time("SHA-256 payload hash", n, () => Digest.Compute(canonical));
                Time("ids, timestamp, content hash, chain link", n, () =>
                {
                    var content = ProofPrimitives.ContentHash(Ids.NewEventId(), "agent.step", clock.NowCanonical(), payloadHash);
                    return HashChain.Next(content, content).ToString();
                });
                Time("Ed25519 signature", n, () => keys.SignEntry(contentHash));
                Time("idempotency lookup of a new key (SQLite read)", n, () => idempotency.FindAsync("key_1", Guid.NewGuid().ToString(), CancellationToken.None).GetAwaiter().GetResult() ?? (object)0);
                Time("response rendered (JSON)", n, () => renderer.Render(201, new StepResponse("evt_01JABCDEFGHJKMNPQRSTVWXYZ0", 12, payloadHash.ToString(),
                    "evt_01JABCDEFGHJKMNPQRSTVWXYZ0", payloadHash.ToString(), contentHash.ToString(), "2026-12-02T12:00:00.000000Z")));
            }

            var database = server.Services.GetRequiredService<SqliteDatabase>();
            var (serverCpu, writerMicros) = HttpCpuPerRequest(server.BaseAddress, server.ApiKey, body, n, database);
            Console.WriteLine($"writer thread per write (SQLite statements + the signing, hashing and rendering done inside the transaction): {writerMicros:F1} µs");
            Console.WriteLine($"process CPU per append, real server, 1 writer, sync=OFF, client included: {serverCpu:F1} µs");
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }

        // A bare ASP.NET Core app: read the body, answer 201 with a canned body of the same size.
        var canned = new byte[330];
        Array.Fill(canned, (byte)' ');
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/traces/{id}/steps", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = canned.Length;
            await context.Response.Body.WriteAsync(canned);
        });
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            var address = new Uri(app.Urls.First().TrimEnd('/') + "/");
            Console.WriteLine($"process CPU per request, bare ASP.NET Core app, same client: {HttpCpuPerRequest(address, "x", body, n, null).Cpu:F1} µs");
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return 0;
    }

    private static (double Cpu, double WriterMicros) HttpCpuPerRequest(Uri address, string apiKey, byte[] body, int n, SqliteDatabase? database)
    {
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var trace = "tr_00000000000000000000000000";
        if (database is not null)
        {
            using var created = http.PostAsync("/v1/traces", new StringContent("{\"label\":\"profile\"}", Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            trace = JsonElement.Parse(created.Content.ReadAsStringAsync().GetAwaiter().GetResult()).GetProperty("trace_id").GetString()!;
        }

        double cpu = 0, writer = 0;
        for (var pass = 0; pass < 2; pass++) // the first warms up
        {
            var before = database?.Statistics;
            var start = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < n; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/traces/{trace}/steps") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("Idempotency-Key", Traces.Client.Http.IdempotencyKeys.New()); // the SDK's own keys
                using var response = http.SendAsync(request).GetAwaiter().GetResult();
                response.Content.LoadIntoBufferAsync().GetAwaiter().GetResult();
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"{response.StatusCode}");
                }
            }

            cpu = (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMicroseconds / n;
            if (database is not null)
            {
                var after = database.Statistics;
                writer = (after.Executing - before!.Value.Executing).TotalMicroseconds / (after.Writes - before.Value.Writes);
            }
        }

        return (cpu, writer);
    }

    private static void Time(string name, int n, Func<object> step)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < n; i++)
        {
            _ = step();
        }

        Console.WriteLine($"{name}: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n:F2} µs");
    }
}
