using Nautilus.Core.PlanNotes;
using Nautilus.Core.Secrets;
using Nautilus.Core.Terraform;
using Nautilus.Testing;

namespace Nautilus.Tests.PlanNotes;

/// <summary>What the note shows of each resource (issue 16): a create's key attributes, multi-line values as blocks.</summary>
public sealed class PlanNoteAttributesTests
{
    private static string Note(string resourceChanges, SecretRedactor? redactor = null)
    {
        var plan = TerraformPlan.Parse($$"""{"format_version":"1.2","resource_changes":[{{resourceChanges}}]}""", "plan.json");
        var plans = new PlanSet("dc1-refresh",
            [new WavePlanFile("application", 3, "plans/application/plan.json", plan, new Dictionary<string, NetBoxIdentity>())], [], null);
        return PlanCommentRenderer.Load(null).Render(plans, new PlanCommentContext(), redactor ?? new SecretRedactor());
    }

    private static string Create(string type, string after, string afterUnknown = "{}", string afterSensitive = "{}") =>
        "{\"address\":\"" + type + ".vm\",\"mode\":\"managed\",\"type\":\"" + type
            + "\",\"name\":\"vm\",\"change\":{\"actions\":[\"create\"],\"before\":null,\"after\":" + after
        + ",\"after_unknown\":" + afterUnknown + ",\"before_sensitive\":false,\"after_sensitive\":" + afterSensitive + "}}";

    [Fact]
    public void PlanNote_CreatedVsphereVm_ShowsItsSizeAddressAndName()
    {
        var note = Note(Create(
            "vsphere_virtual_machine",
            """
            {"name":"dc1-web-01","num_cpus":4,"memory":8192,"guest_id":"ubuntu64Guest","disk":[{"label":"disk0","size":60},{"label":"disk1","size":100}],"clone":[{"customize":[{"network_interface":[{"ipv4_address":"10.20.2.11"}]}]}]}
            """,
            """{"id":true,"default_ip_address":true,"disk":[{"uuid":true},{"uuid":true}]}"""));

        Assert.Contains(
            "- `+` `vsphere_virtual_machine.vm` **create**\n" +
            "  - `name`: `\"dc1-web-01\"`\n" +
            "  - `num_cpus`: `4`\n" +
            "  - `memory`: `8192`\n" +
            "  - `disk[*].size`: `[60, 100]`\n" +
            "  - `clone[*].customize[*].network_interface[*].ipv4_address`: `\"10.20.2.11\"`\n" +
            "  - `default_ip_address`: `(known after apply)`\n",
            note,
            StringComparison.Ordinal);
        Assert.DoesNotContain("guest_id", note, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanNote_CreatedAwsInstance_MasksSensitiveAndLeavesOutAbsentValues()
    {
        var note = Note(Create(
            "aws_instance",
            """{"instance_type":"t3.large","tags":{"Name":"dc1-web-01"},"root_block_device":[{"volume_size":52}]}""",
            """{"private_ip":true}""",
            """{"tags":{"Name":true}}"""));

        Assert.Contains("  - `tags.Name`: `(sensitive value)`\n  - `instance_type`: `\"t3.large\"`\n  - `root_block_device[*].volume_size`: `52`\n  - " +
            "`private_ip`: `(known after apply)`\n", note, StringComparison.Ordinal);
        Assert.DoesNotContain("dc1-web-01", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("azurerm_linux_virtual_machine", "size")]
    [InlineData("azurerm_windows_virtual_machine", "size")]
    [InlineData("terraform_data", "input")]
    [InlineData("vsphere_virtual_machine", "num_cpus")]
    [InlineData("aws_instance", "instance_type")]
    public void KeyAttributes_ProvidersOfTheGeneratedCode_HaveAnAllowlist(string type, string path) =>
        Assert.Contains(path, KeyAttributes.PathsFor(type));

    [Fact]
    public void KeyAttributes_UnknownType_ShowsNothing() => Assert.Empty(KeyAttributes.PathsFor("random_pet"));

    [Fact]
    public void PlanNote_MultiLineStringChanged_ShowsBeforeAndAfterAsBlocksUnderTheAttribute()
    {
        var note = Note("""
            {"address":"vsphere_virtual_machine.vm","mode":"managed","type":"vsphere_virtual_machine","name":"vm","change":{"actions":["update"],
             "before":{"annotation":"line one\n@all #123\nold","memory":4096},"after":{"annotation":"line one\n/close\n<b>new</b>","memory":8192},
             "after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}
            """);

        Assert.Contains(
            "  - `annotation` (multi-line)\n" +
            "    - before:\n" +
            "      <pre><code>line one\n      @all #123\n      old</code></pre>\n" +
            "    - after:\n" +
            "      <pre><code>line one\n      &#47;close\n      &lt;b&gt;new&lt;/b&gt;</code></pre>\n" +
            "  - `memory`: `4096` → `8192`\n",
            note,
            StringComparison.Ordinal);
        Assert.DoesNotContain("\\n", note, StringComparison.Ordinal);
        MarkdownSafety.AssertInert(note, ["@all #123", "<b>new</b>"], _ => false);
    }

    [Fact]
    public void PlanNote_CreatedWithMultiLineInput_ShowsOneBlockAndMasksSecrets()
    {
        var redactor = new SecretRedactor();
        redactor.Register("Sup3r-S3cret-vSphere!");

        var note = Note(Create("terraform_data", """{"input":"#cloud-config\npassword: Sup3r-S3cret-vSphere!\n"}"""), redactor);

        Assert.Contains("  - `input` (multi-line)\n    <pre><code>#cloud-config\n    password: [masked]</code></pre>\n", note, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r", note, StringComparison.Ordinal);
    }
}
