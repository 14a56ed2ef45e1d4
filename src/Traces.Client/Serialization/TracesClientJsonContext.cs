using System.Text.Json.Serialization;
using Traces.Client.Errors;
using Traces.Client.Models;

namespace Traces.Client.Serialization;

/// <summary>
/// Source-generated metadata for the client's request and response models: snake_case wire names, absent members
/// omitted when writing, RFC 3339 timestamps. Bundle, certificate and key-set types use Traces.Verification's
/// <c>TracesJsonContext</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(Rfc3339TimestampConverter)])]
[JsonSerializable(typeof(CreateTraceRequest))]
[JsonSerializable(typeof(AddStepRequest))]
[JsonSerializable(typeof(RecordEventRequest))]
[JsonSerializable(typeof(AnchorDocumentRequest))]
[JsonSerializable(typeof(CreateAttestationRequest))]
[JsonSerializable(typeof(AttestationBody))]
[JsonSerializable(typeof(DeleteTraceResult))]
[JsonSerializable(typeof(EventList))]
[JsonSerializable(typeof(CallerIdentity))]
[JsonSerializable(typeof(TraceDetails))]
[JsonSerializable(typeof(TraceList))]
[JsonSerializable(typeof(StepReceipt))]
[JsonSerializable(typeof(EntryReceipt))]
[JsonSerializable(typeof(SealTraceResponse))]
[JsonSerializable(typeof(ServerVerificationResult))]
[JsonSerializable(typeof(TracesProblemDetails))]
internal sealed partial class TracesClientJsonContext : JsonSerializerContext
{
}
