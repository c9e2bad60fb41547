import type { Advice } from '../errors';

/**
 * What to do next when a job exists but its result is not (yet) in n8n. These texts name the
 * operations that collect, fetch or delete a project, so they live with the operations; the code
 * that meets the failure reads them from the run (see Advice in errors.ts).
 */
export const advice: Advice = {
	collectLater: (projectId) =>
		`Nothing more was paid. Run "Get Audio Project" with project id ${projectId} later to collect the result: that costs nothing. To allow more time, raise "Timeout" in the options.`,
	notFinished: (projectId) =>
		`The job keeps rendering and is already paid for. Later, run this node with the operation "Get Audio Project" and Project ID ${projectId} to collect the audio: that costs nothing. To wait longer next time, raise "Timeout" in the options.`,
	downloadAgain:
		'The audio was rendered and paid for. Run "Get Audio Project" with this project id to download it again, at no cost.',
	freshLink:
		'The audio was rendered and paid for. Run "Get Audio Project" with this project id to get a fresh link and download it, at no cost.',
	linkMissing: 'Run "Get Audio Project" with this project id in a few minutes to fetch it again, at no cost.',
	downloadStopped: 'The audio was rendered and paid for. "Get Audio Project" (free) fetches it again with this project id.',
	projectDeleted:
		'Deleted files cannot be downloaded again, and waiting does not bring them back (they go when "Delete Audio Project" or "Delete After Download" runs). To get the audio, run "Clone Voice" again with the same sample and text: that makes a new project and is paid again.',
	collectPaidJobs: 'Collect their audio with the operation "Get Audio Project" and these ids: that costs nothing.',
	collectParts:
		'The parts with a job are paid: collect their audio with "Get Audio Project" and their ids, at no cost. Running this item again clones every part again, and pays for every part again.',
};
