// An auditor holds a proof bundle and a key they pinned out of band, and nothing else.
//   dotnet run --project samples/AuditorVerification [bundle.json] [public-keys.json]
// Defaults: docs/test-vectors/bundle-small.json and docs/test-vectors/public-keys.json.
using AuditorVerification;

string bundlePath, keysPath;
try
{
    bundlePath = args.Length > 0 ? args[0] : AuditorRunner.FindTestVector("bundle-small.json");
    keysPath = args.Length > 1 ? args[1] : AuditorRunner.FindTestVector("public-keys.json");
}
catch (FileNotFoundException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 3;
}

var result = await AuditorRunner.RunAsync(Console.Out, bundlePath, keysPath);
return result.ExitCode;
