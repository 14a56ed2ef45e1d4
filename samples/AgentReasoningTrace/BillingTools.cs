using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace AgentReasoningTrace;

/// <summary>One line of a customer's billing ledger.</summary>
public sealed record Charge(string ChargeId, decimal Amount, string Currency, string Kind);

/// <summary>The agent's two tools: the billing ledger and the card processor, with fixed demo data.</summary>
public static class BillingTools
{
    public static AIFunction ListCharges { get; } = AIFunctionFactory.Create(ListChargesImpl, "list_charges");

    public static AIFunction GetAuthorization { get; } = AIFunctionFactory.Create(GetAuthorizationImpl, "get_authorization");

    [Description("Lists a customer's charges on one day.")]
    private static Charge[] ListChargesImpl([Description("The customer id, e.g. C-1042.")] string customerId, [Description("The day, yyyy-MM-dd.")] string date) =>
        customerId == "C-1042" && date == "2026-03-02"
            ? [new Charge("ch_7Q2", 49.00m, "EUR", "capture"), new Charge("ch_7Q3", 49.00m, "EUR", "authorization")]
            : [];

    [Description("The status of a card authorization.")]
    private static string GetAuthorizationImpl([Description("The charge id of the authorization.")] string chargeId) =>
        chargeId == "ch_7Q3" ? "pending; expires 2026-03-05; never captured" : "unknown charge";
}
