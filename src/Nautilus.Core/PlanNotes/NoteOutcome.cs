namespace Nautilus.Core.PlanNotes;

public sealed record NoteOutcome(string Action, long NoteId, string Url);
