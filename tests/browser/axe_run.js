// axe-core on the whole page, as it is now. Runs the rules `only`, or else every rule axe runs
// by default that can report a serious or critical violation (the tests ignore moderate and
// minor ones, so those rules are not run). Returns the violations.
async only => {
  const rules = only || axe._audit.rules
    .filter(rule => rule.enabled !== false && ["serious", "critical"].includes(rule.impact))
    .map(rule => rule.id);
  if (!rules.length) throw new Error("no axe rule to run: has axe-core's rule metadata changed?");
  const options = {runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]};
  return (await axe.run(document, options)).violations;
}
