namespace Newsletter.Subscribers;

/// <summary>
/// Which header columns hold the address and the name, in the spellings of the common exports
/// (Mailchimp "Email Address", "First Name", "Last Name"; Substack and Buttondown "email"; ConvertKit
/// "email_address", "first_name"), matched ignoring case, spaces, '-' and '_'. Columns that say
/// whether the person is still subscribed (see <see cref="ImportStatus"/>) are read as such; a JSON
/// attributes column (ours, listmonk's "attribs") is merged in as attributes; every other column becomes
/// an attribute under its header text.
/// </summary>
public sealed class ImportColumns
{
    private static readonly string[] EmailNames = ["email", "emailaddress", "mail", "emailaddr", "subscriberemail"];
    private static readonly string[] NameNames = ["name", "fullname", "displayname", "subscribername"];
    private static readonly string[] FirstNames = ["firstname", "fname", "givenname", "first"];
    private static readonly string[] LastNames = ["lastname", "lname", "surname", "familyname", "last"];
    private static readonly string[] JsonAttributeNames = ["attributes", "attribs"];
    // Our own export's dates: what the list records about the subscription, not about the person.
    private static readonly string[] OwnExportDates = ["subscribercreatedat", "subscribedat", "confirmedat", "unsubscribedat"];

    private ImportColumns(
        int email, int name, int first, int last, IReadOnlyList<(int Index, string Key)> attributes,
        IReadOnlyList<(int Index, ImportStatus.Column Kind)> statuses, IReadOnlyList<int> jsonAttributes)
    {
        Statuses = statuses;
        JsonAttributes = jsonAttributes;
        Email = email;
        Name = name;
        FirstName = first;
        LastName = last;
        Attributes = attributes;
    }

    public int Email { get; }

    /// <summary>-1 when absent, as for the other optional columns.</summary>
    public int Name { get; }

    public int FirstName { get; }

    public int LastName { get; }

    public IReadOnlyList<(int Index, string Key)> Attributes { get; }

    /// <summary>The columns that say whether the person is still subscribed, and how to read each.</summary>
    public IReadOnlyList<(int Index, ImportStatus.Column Kind)> Statuses { get; }

    /// <summary>Columns holding attributes as one JSON object.</summary>
    public IReadOnlyList<int> JsonAttributes { get; }

    /// <summary>The columns of a header row; null when none holds an email address.</summary>
    public static ImportColumns? FromHeader(IReadOnlyList<string> header)
    {
        var keys = header.Select(Normalize).ToArray();
        int Find(string[] names) => Array.FindIndex(keys, k => names.Contains(k));
        var email = Find(EmailNames);
        if (email < 0)
            return null;
        var name = Find(NameNames);
        var first = Find(FirstNames);
        var last = Find(LastNames);
        var attributes = new List<(int, string)>();
        var statuses = new List<(int, ImportStatus.Column)>();
        var json = new List<int>();
        for (var i = 0; i < header.Count; i++)
        {
            if (i == email || i == name)
                continue;
            if (ImportStatus.ColumnOf(keys[i]) is { } status)
            {
                statuses.Add((i, status));
                continue;
            }
            if (JsonAttributeNames.Contains(keys[i]))
            {
                json.Add(i);
                continue;
            }
            if (OwnExportDates.Contains(keys[i]))
                continue;
            var key = i == first ? "first_name" : i == last ? "last_name" : Clean(header[i]);
            if (key.Length > 0)
                attributes.Add((i, key));
        }
        return new ImportColumns(email, name, first, last, attributes, statuses, json);
    }

    private static string Clean(string header) => header.Replace("\uFEFF", "").Replace("\0", "").Trim();

    private static string Normalize(string header) =>
        new(Clean(header).ToLowerInvariant().Where(c => c is not (' ' or '-' or '_' or '.')).ToArray());
}
