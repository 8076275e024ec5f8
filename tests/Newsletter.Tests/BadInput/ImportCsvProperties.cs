using System.Numerics;
using System.Text.Json;
using CsCheck;
using Newsletter.Subscribers;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Any bytes given to the import parser (no database): every row comes out either as a rejection or as a
/// row PostgreSQL can store, and the only error is <see cref="ImportRefusedException"/>.
/// DB-backed: <see cref="ImportDatabaseProperties"/>.
/// </summary>
public sealed class ImportCsvProperties
{
    [Fact]
    public void AnyBytesGiveStorableRowsOrTheDocumentedRefusal() =>
        HostileGen.Csv.Sample(bytes => Parse(bytes).GetAwaiter().GetResult(), iter: 100_000, print: Show);

    private static async Task Parse(byte[] bytes)
    {
        ImportCsvReader file;
        try
        {
            file = await ImportCsvReader.OpenAsync(new MemoryStream(bytes));
        }
        catch (ImportRefusedException)
        {
            return;
        }
        await using (file)
        {
            var line = 1L;
            try
            {
                while (await file.ReadAsync())
                {
                    var at = file.Rejection?.Line ?? file.Row.Line;
                    Assert.True(at > line, $"line {at} after line {line}");
                    line = at;
                    if (file.Rejection is null)
                        AssertStorable(file.Row);
                }
            }
            catch (ImportRefusedException)
            {
                // The documented refusal; the importer rolls back what it staged.
            }
        }
    }

    internal static void AssertStorable(ImportRow row)
    {
        Assert.True(EmailAddressRule.TryValidate(row.Email, out var email, out var reason), reason);
        Assert.Equal(email, row.Email);
        Assert.True(row.Name.Length <= 200);
        Assert.DoesNotContain(row.Name, char.IsControl);
        using var attributes = JsonDocument.Parse(row.AttributesJson);
        Assert.Equal(JsonValueKind.Object, attributes.RootElement.ValueKind);
        Assert.All(Leaves(attributes.RootElement), leaf => Assert.True(
            leaf.Kind == JsonValueKind.Number ? FitsPostgresNumeric(leaf.Text) : !leaf.Text.Contains('\0'), leaf.Text));
    }

    /// <summary>Property names, strings and numbers, as text: jsonb refuses NUL in any name or string, and numbers past numeric's range.</summary>
    private static IEnumerable<(JsonValueKind Kind, string Text)> Leaves(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Leaves(p.Value).Prepend((JsonValueKind.String, p.Name))),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Leaves),
        JsonValueKind.String => [(JsonValueKind.String, element.GetString()!)],
        JsonValueKind.Number => [(JsonValueKind.Number, element.GetRawText())],
        _ => [],
    };

    /// <summary>PostgreSQL's documented limits of numeric: 131,072 digits before the point, 16,383 after.</summary>
    private static bool FitsPostgresNumeric(string number)
    {
        var e = number.AsSpan().IndexOfAny('e', 'E');
        var mantissa = (e < 0 ? number : number[..e]).TrimStart('-');
        var exponent = e < 0 ? BigInteger.Zero : BigInteger.Parse(number[(e + 1)..].TrimStart('+'));
        var point = mantissa.IndexOf('.');
        var before = point < 0 ? mantissa.Length : point;
        var after = point < 0 ? 0 : mantissa.Length - point - 1;
        return before + exponent <= 131_072 && after - exponent <= 16_383;
    }

    internal static string Show(byte[] bytes) => Convert.ToHexString(bytes);
}
