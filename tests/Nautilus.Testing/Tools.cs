using System.Diagnostics;

namespace Nautilus.Testing;

/// <summary>
/// The real tools tests run (installed by tests/tools/setup.sh, located by tests/run.sh through NAUTILUS_TEST_*
/// variables). A missing tool fails the test with the reason; it never skips.
/// </summary>
public static class Tools
{
    /// <summary>The repository's root: the folder holding Nautilus.GitLab.sln above the test binaries.</summary>
    public static readonly string RepoRoot = FindRepoRoot();

    public static string Python => Require("NAUTILUS_TEST_PYTHON", "/usr/bin/python3 with python3-jsonschema and python3-yaml");

    public static string Require(string variable, string what)
    {
        var path = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{variable} is not set to an existing file ({what}). Run the suite with tests/run.sh, which installs the tools and sets it.");
        }

        return path;
    }

    public sealed record Run(int ExitCode, string Out, string Err);

    public static async Task<Run> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return new Run(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Validates JSON against a definition of the vendored NetBox OpenAPI subset with python's jsonschema.</summary>
    public static async Task<Run> ValidateNetBoxAsync(string definition, string json)
    {
        const string Script = """
            import json, sys, jsonschema
            defs = json.load(open(sys.argv[1]))["definitions"]
            doc = json.load(sys.stdin)
            errors = list(jsonschema.Draft7Validator({"$ref": "#/definitions/" + sys.argv[2], "definitions": defs}).iter_errors(doc))
            for e in errors[:20]:
                print("/".join(map(str, e.absolute_path)) or "<root>", e.message[:200])
            sys.exit(1 if errors else 0)
            """;
        var schema = Path.Combine(AppContext.BaseDirectory, "Fixtures", "netbox", "openapi-subset.json");
        return await RunAsync(Python, ["-c", Script, schema, definition], stdin: json).ConfigureAwait(false);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nautilus.GitLab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Nautilus.GitLab.sln not found above " + AppContext.BaseDirectory);
    }
}
