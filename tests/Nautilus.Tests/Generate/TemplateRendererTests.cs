using Nautilus.Core;
using Nautilus.Core.Rendering;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Generate;

/// <summary>
/// TemplateRenderer reuses a builder per thread and one member accessor per view-model type for the whole process
/// (for speed, bench/README.md "generate"); neither may carry anything from one render into the next.
/// </summary>
public sealed class TemplateRendererTests
{
    [Fact]
    public void Render_AfterATemplateFailedHalfWay_StartsFromAnEmptyOutput()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["ansible"]);
        File.WriteAllText(dir["ansible/broken.yml.sbn"], "written before the error\n{{ no_such_variable }}\n");
        File.WriteAllText(dir["ansible/good.yml.sbn"], "only this: {{ provider }}\n");
        var renderer = new TemplateRenderer(TemplateStore.Load(dir.Path));
        var globals = new Dictionary<string, object?> { ["provider"] = "vsphere" };

        var error = Assert.Throws<NautilusException>(() => renderer.Render("ansible/broken.yml.sbn", globals));
        Assert.Contains("no_such_variable", error.Message);
        Assert.Equal("only this: vsphere\n", renderer.Render("ansible/good.yml.sbn", globals));
    }

    [Fact]
    public void Render_TheSameTypeInTwoRenderers_ReadsEachObjectsOwnMembers()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["ansible"]);
        File.WriteAllText(dir["ansible/refs.yml.sbn"], "{{ ref.name }}/{{ ref.slug ?? \"none\" }}/{{ ref.id }}\n");
        var first = new TemplateRenderer(TemplateStore.Load(dir.Path));
        var second = new TemplateRenderer(TemplateStore.Load(dir.Path));

        var web = new Dictionary<string, object?> { ["ref"] = new NamedRef(1, "web", "web-slug") };
        var db = new Dictionary<string, object?> { ["ref"] = new NamedRef(2, "db", null) };

        Assert.Equal("web/web-slug/1\n", first.Render("ansible/refs.yml.sbn", web));
        Assert.Equal("db/none/2\n", second.Render("ansible/refs.yml.sbn", db));
    }
}
