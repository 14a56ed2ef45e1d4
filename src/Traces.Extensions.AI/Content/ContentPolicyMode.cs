namespace Traces.Extensions.AI.Content;

/// <summary>How content is written into the record. The value is stored in each entry (<c>content_policy</c>).</summary>
public enum ContentPolicyMode
{
    /// <summary>The content itself (<c>full</c>).</summary>
    Full,

    /// <summary>Only <c>sha256:</c> + hex of the content (<c>sha256</c>): a disclosed transcript can be checked later.</summary>
    HashOnly,

    /// <summary>The content as a caller's callback rewrote it (<c>redacted</c>); cannot be checked against a transcript.</summary>
    Redacted,
}
