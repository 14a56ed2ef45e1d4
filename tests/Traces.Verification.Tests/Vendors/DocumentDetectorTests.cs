using System.Text;
using Traces.TestSupport;
using Traces.Verification.Vendors;

namespace Traces.Verification.Tests.Vendors;

public class DocumentDetectorTests
{
    [Theory]
    [InlineData("sidclaw/responses/03-trace-detail-allow_success.body.json", DocumentKind.SidClawTrace)]
    [InlineData("sidclaw/responses/11-trace-detail-seeded-no-hashes.body.json", DocumentKind.SidClawTrace)]
    [InlineData("sidclaw/responses/45-audit-export-json.body.json", DocumentKind.SidClawAuditExportJson)]
    [InlineData("sidclaw/responses/46-audit-export-csv.body.csv", DocumentKind.SidClawAuditExportCsv)]
    [InlineData("sidclaw/responses/38-trace-export-approved.body.json", DocumentKind.SidClawTraceExport)]
    [InlineData("sidclaw/responses/41-traces-export-csv.body.csv", DocumentKind.Unknown)]
    [InlineData("sidclaw/responses/28-verify-allow_success.body.json", DocumentKind.Unknown)]
    [InlineData("novyx-anchors/checkpoints/000006.json", DocumentKind.NovyxCheckpoint)]
    [InlineData("invoance/audit-1-vectors.json", DocumentKind.Unknown)]
    public void VendorFiles_AreRecognised(string path, DocumentKind kind) =>
        Assert.Equal(kind, DocumentDetector.Detect(File.ReadAllBytes(TestVectors.PathOf(path.Split('/')))));

    [Theory]
    [InlineData("bundle-minimal.json", DocumentKind.TracesV1Bundle)]
    [InlineData("certificate.json", DocumentKind.TracesV1Certificate)]
    public void TracesV1Files_AreRecognised(string file, DocumentKind kind) =>
        Assert.Equal(kind, DocumentDetector.Detect(File.ReadAllBytes(TestVectors.OwnVector(file))));

    [Theory]
    [InlineData("{\"attestation_id\":\"a\",\"signed_payload\":\"00\",\"signature\":\"00\"}", DocumentKind.InvoanceAttestation)]
    [InlineData("{\"org_id\":\"o\",\"seq\":1,\"action\":\"a\"}\n{\"org_id\":\"o\",\"seq\":2,\"action\":\"b\"}", DocumentKind.InvoanceAuditEvents)]
    [InlineData("[{\"id\":\"e\",\"org_id\":\"o\",\"seq\":1,\"action\":\"a\"}]", DocumentKind.InvoanceAuditEvents)]
    [InlineData("{\"events\":[],\"next_cursor\":null}", DocumentKind.InvoanceAuditEvents)]
    [InlineData("{\"trace_id\":\"t\",\"integrity_root_hash\":\"ab\",\"signature\":\"cd\",\"public_key\":\"pem\"}", DocumentKind.NovyxCertificate)]
    [InlineData("\uFEFF  {\"id\":\"t\",\"final_outcome\":\"executed\",\"events\":[]}", DocumentKind.SidClawTrace)]
    [InlineData("[]", DocumentKind.Unknown)]
    [InlineData("", DocumentKind.Unknown)]
    [InlineData("{\"id\":", DocumentKind.Unknown)]
    [InlineData("hello,world", DocumentKind.Unknown)]
    public void Shapes_AreRecognisedFromTheirMembers(string json, DocumentKind kind) =>
        Assert.Equal(kind, DocumentDetector.Detect(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void UnverifiableKinds_SayWhy_OthersDoNot()
    {
        Assert.StartsWith("This is SidClaw's single-trace export", DocumentDetector.WhyNotVerifiable(DocumentKind.SidClawTraceExport));
        Assert.StartsWith("This is an Invoance trace proof bundle", DocumentDetector.WhyNotVerifiable(DocumentKind.InvoanceTraceProof));
        Assert.All(Enum.GetValues<DocumentKind>().Except([DocumentKind.SidClawTraceExport, DocumentKind.InvoanceTraceProof]),
            k => Assert.Null(DocumentDetector.WhyNotVerifiable(k)));
    }
}
