using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Newsletter.Configuration;

/// <summary>
/// The data annotations of an options section, each failure named by its configuration key
/// (<c>Newsletter:Smtp:Port: The field Port must be between 1 and 65535.</c>): the stock validator names
/// only the property, and an operator has to find it among a dozen sections.
/// Nested sections marked <see cref="ValidateObjectMembersAttribute"/> are checked under their own keys.
/// </summary>
internal sealed class KeyedAnnotations<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        Collect(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Collect(object options, string key, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
            failures.Add($"{key}:{string.Join(", ", result.MemberNames)}: {result.ErrorMessage}");
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<ValidateObjectMembersAttribute>() is not null && property.GetValue(options) is { } nested)
                Collect(nested, $"{key}:{property.Name}", failures);
    }
}
