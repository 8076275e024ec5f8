using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

public sealed class EmailAddressRuleTests
{
    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("  Ada.Lovelace+news@Example.co.uk ")]
    [InlineData("o'brien@example.ie")]
    public void AcceptsOnePlainAddress(string raw) => Assert.True(EmailAddressRule.TryValidate(raw, out _, out _));

    [Theory]
    [InlineData("", "no email address")]
    [InlineData("ada@example.com\r\nBcc: eve@example.com", "the address contains a line break")]
    [InlineData("ada@example.com, bob@example.com", "not a single plain address")]
    [InlineData("Ada <ada@example.com>", "not a single plain address")]
    [InlineData("ada.example.com", "not a valid email address")]
    [InlineData("ada@localhost", "not a valid email address")]
    [InlineData("ada@@example.com", "not a valid email address")]
    public void RefusesWithAReason(string raw, string reason)
    {
        Assert.False(EmailAddressRule.TryValidate(raw, out _, out var why));
        Assert.Equal(reason, why);
    }

    [Fact]
    public void RefusesAddressesLongerThan254Characters()
    {
        var address = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        Assert.True(address.Length > 254);
        Assert.False(EmailAddressRule.TryValidate(address, out _, out var reason));
        Assert.Contains("254", reason);
    }
}
