using System.CommandLine;
using Newsletter.Server.Cli;

var root = new RootCommand("Newsletter: write an issue in Markdown, send it to your subscribers.")
{
    ServeCommand.Create(),
    RenderCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
