using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Sending;

namespace Newsletter.Tests.Configuration;

public sealed class BlankSettingsTests
{
    [Fact]
    public void BlankOptionalSettingsBindAsUnset()
    {
        using var services = Build(new()
        {
            ["Newsletter:Admin:PasswordHash"] = "",
            ["Newsletter:Admin:OpsPassword"] = " ",
            ["Newsletter:Sender:ReplyTo"] = "",
        });

        var admin = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        var sender = services.GetRequiredService<IOptions<NewsletterOptions>>().Value.Sender;

        Assert.Null(admin.PasswordHash);
        Assert.Null(admin.OpsPassword);
        Assert.Null(sender.ReplyTo);
        Assert.Equal("admin", admin.User);
    }

    [Fact]
    public void BlankRequiredSettingIsRefusedNotDefaulted()
    {
        using var services = Build(new() { ["Newsletter:Name"] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NewsletterOptions>>().Value);

        Assert.Contains("Name", error.Message);
    }

    [Fact]
    public void HalfConfiguredDkimIsRefusedRatherThanSilentlyOff()
    {
        using var services = Build(new()
        {
            ["Newsletter:Dkim:Domain"] = "example.com",
            ["Newsletter:Dkim:Selector"] = "",
            ["Newsletter:Dkim:PrivateKeyPath"] = "",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DkimOptions>>().Value);

        Assert.Contains("Newsletter:Dkim", error.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddNewsletterOptions();
        return services.BuildServiceProvider();
    }
}
