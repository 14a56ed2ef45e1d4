using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Traces.TestSupport.Fuzzing;

/// <summary>
/// Deterministic mutations of traces/v1 JSON texts, driven by one <see cref="Random"/>: byte-level (bit flips, hostile
/// bytes and snippets, deletions, duplications, truncation) and structural (a member's value replaced by a hostile one,
/// a member removed, added or renamed, an array reordered, one hex digit of a signed field changed). Each mutation
/// says what it did, so a failure can be replayed.
/// </summary>
public sealed class JsonMutator(Random random)
{
    private static readonly byte[][] s_snippets =
    [
        [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80],
        "\""u8.ToArray(), "\\"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(),
        "]"u8.ToArray(), "null"u8.ToArray(), "-0"u8.ToArray(), "1e400"u8.ToArray(), "9007199254740993"u8.ToArray(), "\\u0000"u8.ToArray(),
        "\\ud800"u8.ToArray(), "\"\\ud800\""u8.ToArray(), "{}"u8.ToArray(), "[]"u8.ToArray(), "\"x\":1,"u8.ToArray(), "/*c*/"u8.ToArray(),
        [0xEF, 0xBB, 0xBF],
    ];

    // Raw JSON for values a tree cannot hold as such (kept exact by a placeholder swapped in the text).
    private static readonly string[] s_rawValues =
    [
        "null", "-0", "0", "-1", "1", "1.0", "7e0", "1.5", "9007199254740991", "9007199254740992", "9007199254740993",
        "-9007199254740993", "1e400", "true", "false", "\"\"", "\"x\"", "[]", "{}", "[null]", "\"\\ud800\"", "\"\\udc00x\"",
        "\"\\u0000\"", "\"sha256:" + new string('0', 64) + "\"", "\"SHA256:" + new string('a', 64) + "\"",
        "\"2026-03-17T12:00:00Z\"", "\"2026-02-30T12:00:00.000000Z\"", "\"yesterday\"", "\"é\"", "{\"a\":1,\"a\":2}",
        "\"-----BEGIN RSA PUBLIC KEY-----\\nAAAA\\n-----END RSA PUBLIC KEY-----\\n\"", "\"ed25519_pk:" + new string('0', 64) + "\"",
        "\"ed25519:" + new string('f', 128) + "\"", "\"rsa-pss-sha256:00\"",
    ];

    private const string Placeholder = "__FUZZ_RAW__";

    /// <summary>Applies one to three mutations to <paramref name="json"/>; <paramref name="what"/> describes them.</summary>
    public byte[] Mutate(byte[] json, out string what)
    {
        var steps = new List<string>();
        if (random.Next(4) == 0)
        {
            // A change that keeps every signed value: the answer must not change (and stays Valid for a valid document).
            try
            {
                json = Benign(json, steps);
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
            {
                steps.Clear();
                json = Bytes(json, steps);
            }

            what = string.Join("; ", steps);
            return json;
        }

        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            json = random.Next(10) < 6 ? Structural(json, steps) : Bytes(json, steps);
        }

        what = string.Join("; ", steps);
        return json;
    }

    /// <summary>
    /// Changes the signed content does not see: formatting, whitespace between tokens, member order, a character of
    /// a string written as a <c>\u</c> escape, a withheld payload, an unsigned label.
    /// </summary>
    private byte[] Benign(byte[] json, List<string> steps)
    {
        var tokens = new List<(int Start, int Length, bool IsString)>();
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(json);
            while (reader.Read())
            {
                var isString = reader.TokenType == System.Text.Json.JsonTokenType.String && !reader.ValueIsEscaped;
                tokens.Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length, isString));
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return Bytes(json, steps);
        }

        if (tokens.Count == 0)
        {
            return Bytes(json, steps);
        }

        switch (random.Next(5))
        {
            case 0:
                var at = tokens[random.Next(tokens.Count)].Start;
                var whitespace = random.Next(1, 200);
                steps.Add(Invariant($"insert {whitespace} whitespace bytes before the token at {at}"));
                return [.. json.AsSpan(0, at), .. Enumerable.Range(0, whitespace).Select(i => (byte)" \n\t\r"[i % 4]), .. json.AsSpan(at)];
            case 1:
                var strings = tokens.Where(t => t.IsString && t.Length > 0).ToList();
                if (strings.Count == 0)
                {
                    return Bytes(json, steps);
                }

                var token = strings[random.Next(strings.Count)];
                var offset = token.Start + 1 + random.Next(token.Length);
                if (json[offset] >= 0x80 || json[offset] < 0x20)
                {
                    return Bytes(json, steps);
                }

                var escape = Encoding.ASCII.GetBytes(Invariant($"\\u{json[offset]:x4}"));
                steps.Add(Invariant($"escape byte {offset} as {Encoding.ASCII.GetString(escape)}"));
                return [.. json.AsSpan(0, offset), .. escape, .. json.AsSpan(offset + 1)];
            default:
                var root = JsonNode.Parse(json);
                if (root is not JsonObject bundle)
                {
                    return Bytes(json, steps);
                }

                switch (random.Next(4))
                {
                    case 0 when bundle["events"] is JsonArray { Count: > 0 } events && events[random.Next(events.Count)] is JsonObject entry:
                        entry.Remove("payload");
                        steps.Add("withhold a payload");
                        break;
                    case 1 when bundle.ContainsKey("version"):
                        bundle["label"] = "relabelled " + random.Next(1000).ToString(CultureInfo.InvariantCulture);
                        steps.Add("relabel");
                        break;
                    case 2:
                        var members = bundle.ToList();
                        bundle.Clear();
                        foreach (var (name, value) in members.OrderBy(_ => random.Next()))
                        {
                            bundle[name] = value;
                        }

                        steps.Add("reorder the members");
                        break;
                    default:
                        steps.Add("reformat");
                        break;
                }

                return Encoding.UTF8.GetBytes(Write(root));
        }
    }

    private byte[] Bytes(byte[] json, List<string> steps)
    {
        if (json.Length == 0)
        {
            steps.Add("insert {");
            return "{"u8.ToArray();
        }

        var at = random.Next(json.Length);
        switch (random.Next(7))
        {
            case 0:
                var bit = random.Next(8);
                var flipped = (byte[])json.Clone();
                flipped[at] ^= (byte)(1 << bit);
                steps.Add(Invariant($"flip bit {bit} of byte {at}"));
                return flipped;
            case 1:
                var snippet = s_snippets[random.Next(s_snippets.Length)];
                steps.Add(Invariant($"insert {Convert.ToHexString(snippet)} at {at}"));
                return [.. json.AsSpan(0, at), .. snippet, .. json.AsSpan(at)];
            case 2:
                var length = Math.Min(random.Next(1, 65), json.Length - at);
                steps.Add(Invariant($"delete {length} bytes at {at}"));
                return [.. json.AsSpan(0, at), .. json.AsSpan(at + length)];
            case 3:
                steps.Add(Invariant($"truncate at {at}"));
                return json[..at];
            case 4:
                var from = random.Next(json.Length);
                var span = Math.Min(random.Next(1, 400), json.Length - from);
                steps.Add(Invariant($"copy {span} bytes from {from} to {at}"));
                return [.. json.AsSpan(0, at), .. json.AsSpan(from, span), .. json.AsSpan(at)];
            case 5:
                var whitespace = random.Next(1, 3000);
                steps.Add(Invariant($"insert {whitespace} whitespace bytes at {at}"));
                return [.. json.AsSpan(0, at), .. Enumerable.Range(0, whitespace).Select(i => (byte)" \n\t\r"[i % 4]), .. json.AsSpan(at)];
            default:
                var value = (byte)random.Next(256);
                var replaced = (byte[])json.Clone();
                replaced[at] = value;
                steps.Add(Invariant($"set byte {at} to {value:X2}"));
                return replaced;
        }
    }

    private byte[] Structural(byte[] json, List<string> steps)
    {
        var before = steps.Count;
        try
        {
            return StructuralCore(json, steps);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            // The tree could not hold or write the text (a duplicate name, an escaped lone surrogate): mutate the bytes.
            steps.RemoveRange(before, steps.Count - before);
            return Bytes(json, steps);
        }
    }

    private byte[] StructuralCore(byte[] json, List<string> steps)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return Bytes(json, steps);
        }

        if (root is null)
        {
            return Bytes(json, steps);
        }

        var nodes = new List<(JsonNode Node, string Path)>();
        try
        {
            Collect(root, "", nodes);
        }
        catch (ArgumentException)
        {
            // A duplicate member name: the tree cannot hold the text.
            return Bytes(json, steps);
        }

        var (node, path) = nodes[random.Next(nodes.Count)];
        string? raw = null;
        try
        {
            switch (random.Next(8))
            {
                case 0 or 1:
                    raw = s_rawValues[random.Next(s_rawValues.Length)];
                    if (!Replace(node, Placeholder))
                    {
                        return Bytes(json, steps);
                    }

                    steps.Add($"{path} = {raw}");
                    break;
                case 2 when node.Parent is JsonObject parent:
                    parent.Remove(node.GetPropertyName());
                    steps.Add($"remove {path}");
                    break;
                case 3 when node is JsonObject target:
                    var name = random.Next(3) == 0 ? "comment" : KnownNames[random.Next(KnownNames.Length)];
                    if (target.ContainsKey(name))
                    {
                        // A second member of the same name: only a text can hold it.
                        target["__FUZZ_DUP__"] = "dup";
                        raw = null;
                        steps.Add($"duplicate {path}/{name}");
                        return Encoding.UTF8.GetBytes(Write(root).Replace("\"__FUZZ_DUP__\"", "\"" + name + "\"", StringComparison.Ordinal));
                    }

                    target[name] = "x";
                    steps.Add($"add {path}/{name}");
                    break;
                case 4 when node is JsonArray array && array.Count > 0:
                    var i = random.Next(array.Count);
                    var j = random.Next(array.Count);
                    switch (random.Next(4))
                    {
                        case 0:
                            array.RemoveAt(i);
                            steps.Add(Invariant($"remove {path}/{i}"));
                            break;
                        case 1:
                            array.Insert(j, array[i]?.DeepClone());
                            steps.Add(Invariant($"copy {path}/{i} to {j}"));
                            break;
                        case 2:
                            var a = array[i]?.DeepClone();
                            array[i] = array[j]?.DeepClone();
                            array[j] = a;
                            steps.Add(Invariant($"swap {path}/{i} and {j}"));
                            break;
                        default:
                            array.Insert(j, null);
                            steps.Add(Invariant($"insert null at {path}/{j}"));
                            break;
                    }

                    break;
                case 5 when node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 8:
                    // One hex digit (or any character) of a signed or checked string: the targeted forgery.
                    var at = random.Next(text.Length);
                    var replacement = text[at] == '0' ? '1' : '0';
                    Replace(node, text[..at] + replacement + text[(at + 1)..]);
                    steps.Add(Invariant($"{path}[{at}] = {replacement}"));
                    break;
                case 6 when node.Parent is JsonObject owner:
                    var oldName = node.GetPropertyName();
                    var newName = KnownNames[random.Next(KnownNames.Length)];
                    if (owner.ContainsKey(newName))
                    {
                        return Bytes(json, steps);
                    }

                    owner.Remove(oldName);
                    owner[newName] = node;
                    steps.Add($"rename {path} to {newName}");
                    break;
                case 7 when node is JsonValue longer && longer.TryGetValue<string>(out _):
                    var size = random.Next(2) == 0 ? random.Next(1, 200) : random.Next(10_000, 120_000);
                    Replace(node, new string((char)('a' + random.Next(26)), size));
                    steps.Add(Invariant($"{path} = {size} characters"));
                    break;
                default:
                    return Bytes(json, steps);
            }
        }
        catch (InvalidOperationException)
        {
            return Bytes(json, steps);
        }

        var written = Write(root);
        if (raw is not null)
        {
            written = written.Replace("\"" + Placeholder + "\"", raw, StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(written);
    }

    private static readonly string[] KnownNames =
    [
        "version", "trace_id", "label", "tenant_domain", "status", "created_at", "sealed_at", "composite_hash", "integrity_root_hash",
        "event_count", "events", "seal_event", "certificate", "index", "event_id", "event_type", "payload", "payload_hash",
        "content_hash", "previous_chain_hash", "chain_hash", "ingested_at", "key_id", "public_key", "signature", "v", "seal_event_id",
        "algorithm", "leaf_index", "tree_size", "path",
    ];

    private string Write(JsonNode root) =>
        random.Next(2) == 0 ? root.ToJsonString() : Encoding.UTF8.GetString(BundleJson.Write(root));

    private static bool Replace(JsonNode node, JsonNode? value)
    {
        switch (node.Parent)
        {
            case JsonObject parent:
                parent[node.GetPropertyName()] = value;
                return true;
            case JsonArray array:
                array[node.GetElementIndex()] = value;
                return true;
            default:
                return false;
        }
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, string)> nodes)
    {
        nodes.Add((node, path.Length == 0 ? "/" : path));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        Collect(child, path + "/" + name, nodes);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child)
                    {
                        Collect(child, Invariant($"{path}/{i}"), nodes);
                    }
                }

                break;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
