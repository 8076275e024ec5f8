using System.CommandLine;
using Newsletter.Operations;

namespace Newsletter.Server.Cli;

/// <summary><c>hash-password</c>: makes a value for Newsletter:Admin:PasswordHash, so no plain password is stored.</summary>
public static class HashPasswordCommand
{
    public static Command Create()
    {
        var command = new Command("hash-password", "Read a password from standard input and print its hash for the configuration.");
        command.SetAction(async (_, cancellationToken) =>
        {
            var password = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
                throw new CommandRefusedException("Give the password on standard input, e.g. `echo -n secret | newsletter hash-password`.");
            Console.WriteLine(OperatorCredentials.Hash(password));
            return 0;
        });
        return command;
    }
}
