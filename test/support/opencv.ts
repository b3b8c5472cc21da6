/** Tests load OpenCV.js the same way the Node scripts do. */
export { loadOpenCv } from '../../scripts/lib/load-opencv-node';
