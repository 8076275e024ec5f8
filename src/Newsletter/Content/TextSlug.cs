using System.Globalization;
using System.Text;

namespace Newsletter.Content;

/// <summary>Turns titles into URL- and anchor-safe names: lower case ASCII letters, digits and dashes.</summary>
public static class TextSlug
{
    public static string From(string text, int maxLength = 80)
    {
        var builder = new StringBuilder(text.Length);
        var dash = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                if (dash && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
                dash = false;
            }
            else
            {
                dash = true;
            }
        }

        var slug = builder.Length > maxLength ? builder.ToString(0, maxLength).TrimEnd('-') : builder.ToString();
        return slug.Length == 0 ? "section" : slug;
    }
}
