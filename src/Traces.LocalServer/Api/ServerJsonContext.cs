using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Traces.LocalServer.Api;

/// <summary>
/// Source-generated JSON metadata for every request and response shape of the server (Contracts.cs), so the
/// server is trim- and Native AOT-safe. It is first in the HTTP JSON options' resolver chain (ServerApp), where it
/// runs under those options: snake_case names and ASP.NET Core's relaxed escaping, exactly the wire format of the
/// reflection-based serializer it replaces. Bundle documents keep <see cref="Traces.Verification.Bundles.TracesJsonContext"/>.
/// </summary>
/// <remarks>
/// The request types are here for the OpenAPI document only (bodies are read by hand, see <see cref="JsonInput"/>);
/// <see cref="ProblemDetails"/> likewise, for the problem responses every operation declares.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateTraceRequest))]
[JsonSerializable(typeof(AddStepRequest))]
[JsonSerializable(typeof(IngestEventRequest))]
[JsonSerializable(typeof(AnchorDocumentRequest))]
[JsonSerializable(typeof(IngestAttestationRequest))]
[JsonSerializable(typeof(CreatedTraceResponse))]
[JsonSerializable(typeof(TraceListResponse))]
[JsonSerializable(typeof(TraceDetailResponse))]
[JsonSerializable(typeof(StepResponse))]
[JsonSerializable(typeof(EntryResponse))]
[JsonSerializable(typeof(SealResponse))]
[JsonSerializable(typeof(VerifyResponse))]
[JsonSerializable(typeof(DeleteTraceResponse))]
[JsonSerializable(typeof(EventListResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
