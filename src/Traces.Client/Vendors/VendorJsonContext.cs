using System.Text.Json.Serialization;
using Traces.Client.Serialization;
using Traces.Client.Vendors.Novyx;
using Traces.Client.Vendors.SidClaw;
using Traces.Client.Vendors.StateBase;
using Traces.Client.Vendors.ZenMesh;

namespace Traces.Client.Vendors;

/// <summary>
/// Source-generated metadata of the vendor models: snake_case names (all four vendors use them), absent members
/// omitted when writing (SidClaw's outcome schema rejects <c>null</c> for an optional member), any RFC 3339
/// timestamp read. Members a model does not define land in <c>AdditionalProperties</c>, so nothing is lost.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(Rfc3339TimestampConverter)])]
[JsonSerializable(typeof(NovyxStartTraceRequest))]
[JsonSerializable(typeof(NovyxAddStepRequest))]
[JsonSerializable(typeof(NovyxTrace))]
[JsonSerializable(typeof(NovyxStepReceipt))]
[JsonSerializable(typeof(NovyxCompletion))]
[JsonSerializable(typeof(NovyxTraceList))]
[JsonSerializable(typeof(NovyxTraceDetails))]
[JsonSerializable(typeof(NovyxVerification))]
[JsonSerializable(typeof(NovyxCertificate))]
[JsonSerializable(typeof(NovyxPublicKey))]
[JsonSerializable(typeof(SidClawEvaluateRequest))]
[JsonSerializable(typeof(SidClawEvaluation))]
[JsonSerializable(typeof(SidClawTraceList))]
[JsonSerializable(typeof(SidClawTrace))]
[JsonSerializable(typeof(SidClawOutcomeRequest))]
[JsonSerializable(typeof(SidClawTelemetryRequest))]
[JsonSerializable(typeof(SidClawVerification))]
[JsonSerializable(typeof(SidClawTraceExport))]
[JsonSerializable(typeof(SidClawAuditEvent))]
[JsonSerializable(typeof(IReadOnlyList<SidClawAuditEvent>))]
[JsonSerializable(typeof(SidClawApproval))]
[JsonSerializable(typeof(SidClawApprovalDecision))]
[JsonSerializable(typeof(SidClawError))]
[JsonSerializable(typeof(ZenMeshDelivery))]
[JsonSerializable(typeof(ZenMeshDeliveryList))]
[JsonSerializable(typeof(StateBaseTrace))]
[JsonSerializable(typeof(StateBaseTraceList))]
[JsonSerializable(typeof(StateBaseTraceWebhookEvent))]
[JsonSerializable(typeof(StateBaseError))]
internal sealed partial class VendorJsonContext : JsonSerializerContext
{
}
