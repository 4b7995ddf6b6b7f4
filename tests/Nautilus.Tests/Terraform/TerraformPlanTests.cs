using Nautilus.Core;
using Nautilus.Core.PlanNotes;
using Nautilus.Core.Terraform;
using Nautilus.Tests.PlanNotes;

namespace Nautilus.Tests.Terraform;

public sealed class TerraformPlanTests
{
    private static TerraformPlan Load(string name) => TerraformPlan.Load(PlanFixtures.File(name));

    [Theory]
    [InlineData("basic-create.json", 3, 0, 0, 0, 0, 0)]
    [InlineData("basic-delete.json", 0, 1, 0, 1, 0, 0)]
    [InlineData("basic-update.json", 0, 0, 0, 0, 0, 1)]
    [InlineData("requires-replace.json", 0, 0, 1, 0, 0, 0)]
    [InlineData("sensitive-values.json", 1, 0, 0, 0, 0, 0)]
    [InlineData("drift.json", 0, 2, 0, 0, 0, 0)]
    [InlineData("moved.json", 0, 1, 0, 0, 0, 0)]
    [InlineData("modules.json", 4, 0, 0, 0, 0, 0)]
    [InlineData("plan-error.json", 0, 0, 0, 0, 0, 0)]
    [InlineData("unknown-output.json", 0, 0, 0, 0, 0, 0)]
    [InlineData("lifecycle.json", 1, 1, 2, 1, 2, 0)]
    public void Count_TerraformFixtures_MatchesTheirActions(string fixture, int create, int update, int replace, int delete, int import, int noop)
    {
        var counts = PlanCommentBuilder.Count(Load(fixture));

        Assert.Equal((create, update, replace, delete, import, noop),
            (counts.Create, counts.Update, counts.Replace, counts.Delete, counts.Import, counts.NoOp));
    }

    [Fact]
    public void Parse_OwnLifecyclePlan_ClassifiesEveryAction()
    {
        var plan = Load("lifecycle.json");
        var byAddress = plan.Resources.ToDictionary(r => r.Address, r => r);

        Assert.Equal(PlanAction.ReplaceCreateBeforeDestroy, byAddress["vsphere_virtual_machine.dc1_web_01"].Action);
        Assert.Equal(PlanAction.ReplaceDestroyBeforeCreate, byAddress["vsphere_virtual_machine.dc1_app_01"].Action);
        Assert.Equal(PlanAction.Forget, byAddress["vsphere_virtual_machine.dc1_old_01"].Action);
        Assert.Equal(PlanAction.Read, byAddress["data.vsphere_datacenter.this"].Action);
        Assert.True(byAddress["terraform_data.dc1_leaf_01"].IsImport);
        Assert.Equal(PlanAction.NoOp, byAddress["terraform_data.dc1_leaf_01"].Action);
        Assert.True(byAddress["vsphere_virtual_machine.dc1_mon_02"].IsMove);
        var counts = PlanCommentBuilder.Count(plan);
        Assert.Equal((1, 1, 1), (counts.Forget, counts.Move, counts.Read));
    }

    [Fact]
    public void Parse_DriftAndErroredPlans_ExposeDriftAndFailure()
    {
        Assert.Single(Load("drift.json").Drift);
        Assert.True(Load("plan-error.json").Errored);
        Assert.Equal("test_instance.baz", Load("moved.json").Resources.Single().Address);
        Assert.Equal("test_instance.foo", Load("moved.json").Resources.Single().PreviousAddress);
    }

    [Fact]
    public void Parse_StreamedPlanLog_FailsNamingTheRightCommand()
    {
        var ex = Assert.Throws<NautilusException>(() =>
            TerraformPlan.Parse("{\"@level\":\"info\",\"@message\":\"Terraform 1.9.8\"}\n{\"@level\":\"info\"}", "plans/app/plan.json"));

        Assert.Equal(ExitCode.InvalidData, ex.Code);
        Assert.Contains("terraform show -json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("requires-replace.json", """{"create":1,"update":0,"delete":1}""")]
    [InlineData("basic-delete.json", """{"create":0,"update":1,"delete":1}""")]
    [InlineData("basic-create.json", """{"create":3,"update":0,"delete":0}""")]
    [InlineData("lifecycle.json", """{"create":3,"update":1,"delete":3}""")]
    [InlineData("plan-error.json", """{"create":0,"update":0,"delete":0}""")]
    public void WidgetReport_Fixtures_CountsReplaceAsCreateAndDelete(string fixture, string expected)
    {
        Assert.Equal(expected, WidgetReport.From(Load(fixture)).ToJson());
    }

    [Fact]
    public void ChangedAttributes_SensitiveAndUnknown_MaskedAndMarked()
    {
        var plan = Load("secrets.json");
        var win = plan.Resources.Single(r => r.Address == "vsphere_virtual_machine.win_01");

        var changes = SensitiveValues.ChangedAttributes(win.Change, s => s).ToDictionary(a => a.Name);

        Assert.Equal(SensitiveValues.Masked, changes["clone"].After);
        Assert.True(changes["clone"].Sensitive);
        Assert.DoesNotContain("Pa55", string.Join(" ", changes.Values.Select(c => c.Before + c.After)), StringComparison.Ordinal);
        var replaced = SensitiveValues.ChangedAttributes(Load("requires-replace.json").Resources[0].Change, s => s).ToDictionary(a => a.Name);
        Assert.True(replaced["ami"].ForcesReplacement);
        Assert.Equal(SensitiveValues.KnownAfterApply, replaced["id"].After);
    }

    [Fact]
    public void Collect_SensitiveMasksVariablesAndOutputs_FindsEveryClearTextSecret()
    {
        var secrets = SensitiveValues.Collect(Load("secrets.json")).ToHashSet();
        var fixture = SensitiveValues.Collect(Load("sensitive-values.json")).ToHashSet();

        Assert.Superset(new HashSet<string> { "Old-Admin-Pa55", "New-Admin-Pa55", "Sup3r-S3cret-vSphere!" }, secrets);
        Assert.DoesNotContain("corp.example", secrets);
        Assert.Contains("boop", fixture);
    }
}
