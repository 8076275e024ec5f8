using System.Reflection;
using Microsoft.Extensions.Options;

namespace Newsletter.Configuration;

/// <summary>
/// <c>"Key": ""</c> in appsettings.json binds as an empty string, not null, so a default written as
/// <c>option ?? fallback</c> would never apply. A blank optional setting means "not set": after binding,
/// every blank optional (nullable) string of an options object and its nested sections becomes null.
/// Required strings keep their blank value, for validation to refuse.
/// </summary>
public static class BlankSettings
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static OptionsBuilder<TOptions> BlankMeansUnset<TOptions>(this OptionsBuilder<TOptions> builder)
        where TOptions : class =>
        builder.PostConfigure(options => Clear(options));

    private static void Clear(object section)
    {
        foreach (var property in section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || !property.CanWrite || property.GetIndexParameters().Length > 0)
                continue;
            if (property.PropertyType == typeof(string))
            {
                if (property.GetValue(section) is string value && string.IsNullOrWhiteSpace(value) &&
                    Nullability.Create(property).WriteState == NullabilityState.Nullable)
                    property.SetValue(section, null);
            }
            else if (property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("Newsletter", StringComparison.Ordinal) == true &&
                     property.GetValue(section) is { } nested)
            {
                Clear(nested);
            }
        }
    }
}
