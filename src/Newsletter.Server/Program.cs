using System.CommandLine;
using Newsletter.Server.Cli;

var root = new RootCommand("Newsletter: write an issue in Markdown, send it to your subscribers.")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    HashPasswordCommand.Create(),
    RenderCommand.Create(),
    ListsCommand.Create(),
    SubscribersCommand.Create(),
    IssuesCommand.Create(),
    PreflightCommand.Create(),
    SendCommand.Create(),
    SendsCommand.Create(),
    ScheduleCommand.Create(),
    ApiKeysCommand.Create(),
    CompileTemplatesCommand.Create(),
};
return await CliInvocation.RunAsync(root, args);
