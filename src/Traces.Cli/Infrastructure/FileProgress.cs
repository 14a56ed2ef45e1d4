using Spectre.Console;

namespace Traces.Cli.Infrastructure;

/// <summary>A progress bar over the bytes of a file while a verifier streams it (large inputs on a terminal).</summary>
internal static class FileProgress
{
    /// <summary>Opens <paramref name="path"/> and gives it to <paramref name="read"/>, with a bar over its <paramref name="length"/> bytes.</summary>
    public static async Task<T> ReadAsync<T>(ICliConsole console, string path, long length, Func<Stream, Task<T>> read)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });
        T result = default!;
        await ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Verifying", maxValue: length);
                var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1,
                    FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using var counted = new ObservedReadStream(file, (_, total) => task.Value = total);
                result = await read(counted).ConfigureAwait(false);
                task.Value = length;
            }).ConfigureAwait(false);
        return result;
    }
}
