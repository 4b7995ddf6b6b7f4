using Nautilus.Tests.Support;

namespace Nautilus.Tests.PlanNotes;

/// <summary>
/// Terraform plans for the tests: Terraform's own show-json fixtures (Fixtures/terraform/SOURCES.md) and
/// ours for import, forget, create-before-destroy, moves and secrets, laid out as a plans dir.
/// </summary>
internal sealed class PlanFixtures : IDisposable
{
    public static string Dir => Path.Combine(CliRunner.RepoRoot, "tests", "Nautilus.Tests", "Fixtures", "terraform");

    public static string File(string name) => Path.Combine(Dir, name);

    public string Root { get; } = Directory.CreateTempSubdirectory("nautilus-plans-").FullName;

    public string PlansDir => Path.Combine(Root, "plans");

    /// <summary>Copies a fixture to plans/&lt;wave&gt;/plan.json.</summary>
    public PlanFixtures Wave(string wave, string fixture)
    {
        Directory.CreateDirectory(Path.Combine(PlansDir, wave));
        System.IO.File.Copy(File(fixture), Path.Combine(PlansDir, wave, "plan.json"), overwrite: true);
        return this;
    }

    public PlanFixtures WaveJson(string wave, string json)
    {
        Directory.CreateDirectory(Path.Combine(PlansDir, wave));
        System.IO.File.WriteAllText(Path.Combine(PlansDir, wave, "plan.json"), json);
        return this;
    }

    /// <summary>Another file a plan job saves in plans/&lt;wave&gt;/ (error.txt, job-url.txt, plan.txt).</summary>
    public PlanFixtures Saved(string wave, string file, string text)
    {
        Directory.CreateDirectory(Path.Combine(PlansDir, wave));
        System.IO.File.WriteAllText(Path.Combine(PlansDir, wave, file), text);
        return this;
    }

    /// <summary>A manifest as 'iac generate' writes it, at .nautilus/&lt;wp&gt;/manifest.json under <see cref="Root"/>.</summary>
    public PlanFixtures Manifest(string workPackage, string json)
    {
        var dir = Path.Combine(Root, ".nautilus", workPackage);
        Directory.CreateDirectory(dir);
        System.IO.File.WriteAllText(Path.Combine(dir, "manifest.json"), json);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
