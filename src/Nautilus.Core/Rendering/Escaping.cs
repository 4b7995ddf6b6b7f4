using System.Globalization;
using System.Text;

namespace Nautilus.Core.Rendering;

/// <summary>
/// Every NetBox value that reaches HCL or YAML goes through one of these (docs/design.md §4): the text
/// arrives literally and nothing in it is ever evaluated by Terraform or templated by Ansible.
/// </summary>
public static class Escaping
{
    /// <summary>
    /// A quoted HCL string literal. HCL treats <c>${</c> and <c>%{</c> as template sequences even in plain
    /// strings; <c>$${</c> and <c>%%{</c> are their literal escapes (HCL native syntax spec, "Template Literals").
    /// Control characters become \uNNNN so a newline cannot end the literal.
    /// </summary>
    public static string HclString(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '$' or '%' when i + 1 < value.Length && value[i + 1] == '{':
                    sb.Append(c).Append(c);
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        sb.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append("\\uFFFD"); // a lone surrogate has no UTF-8 form
                    }
                    else if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>
    /// An HCL identifier ([a-z0-9_], not starting with a digit) from any text; <paramref name="fallback"/>
    /// when nothing usable is left. Callers make it unique.
    /// </summary>
    public static string HclIdentifier(string? value, string fallback = "r", int maxLength = 48)
    {
        var sb = new StringBuilder();
        foreach (var c in (value ?? "").ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }

            if (sb.Length >= maxLength)
            {
                break;
            }
        }

        var id = sb.ToString().Trim('_');
        if (id.Length == 0)
        {
            return fallback;
        }

        return char.IsAsciiDigit(id[0]) ? fallback + "_" + id : id;
    }

    /// <summary>A DNS label (RFC 1123) for guest host names: [a-z0-9-], at most 63 characters.</summary>
    public static string DnsLabel(string? value, string fallback)
    {
        var sb = new StringBuilder();
        foreach (var c in (value ?? "").ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var label = sb.ToString();
        if (label.Length > 63)
        {
            label = label[..63];
        }

        label = label.Trim('-');
        return label.Length == 0 ? fallback : label;
    }

    /// <summary>
    /// Ansible's group-name rule: each character that is not a word character becomes '_' (ansible-core
    /// constants INVALID_VARIABLE_NAMES, `^[\d\W]|[^\w]`, applied by to_safe_group_name), which nb_inventory
    /// groups also go through when TRANSFORM_INVALID_GROUP_CHARS is on.
    /// </summary>
    public static string AnsibleGroup(string prefix, string value)
    {
        var sb = new StringBuilder(prefix.Length + value.Length);
        foreach (var rune in (prefix + value).EnumerateRunes())
        {
            sb.Append(Rune.IsLetterOrDigit(rune) || rune.Value == '_' ? rune.ToString() : "_");
        }

        if (sb.Length > 0 && (char.IsAsciiDigit(sb[0]) || !(char.IsLetter(sb[0]) || sb[0] == '_' || char.IsSurrogate(sb[0]))))
        {
            sb[0] = '_';
        }

        return sb.ToString();
    }

    /// <summary>
    /// A YAML scalar for Ansible files, double-quoted by YamlDotNet's emitter (so <c>yes</c>, <c>~</c>, <c>: </c>,
    /// <c>#</c>, <c>*</c>, <c>&amp;</c>, <c>!</c> stay strings), tagged <c>!unsafe</c> when it holds Jinja2 delimiters
    /// so Ansible never templates NetBox text (docs.ansible.com, "Unsafe or raw strings").
    /// </summary>
    public static string YamlScalar(string? value) => value is null ? "null" : YamlText.Scalar(value);
}
